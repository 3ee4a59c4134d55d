import type { Middleware } from 'koa';
import { AccountLockedError, InvalidCredentialsError, WeakPasswordError } from '../../accounts/index.js';
import { ConflictError, DependencyUnavailableError, DomainError, NotFoundError, ValidationError } from '../../shared/errors.js';

/** The one place that turns domain errors into HTTP statuses. */
export function statusFor(error: DomainError): number {
  if (error instanceof ValidationError || error instanceof WeakPasswordError) return 400;
  if (error instanceof InvalidCredentialsError) return 401;
  if (error instanceof AccountLockedError) return 429;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof DependencyUnavailableError) return 503;
  return 400;
}

const RETRY_AFTER_SECONDS = '5';

/**
 * Anything thrown past the routes ends here: domain errors become their status and a safe JSON body, Koa's own
 * HTTP errors (e.g. a body too large) keep theirs, and everything else is a logged 500 that reveals nothing.
 * Every 503, ours or oidc-provider's (a store is down), tells the client when to retry.
 */
export function errorBoundary(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 503 && !ctx.response.get('Retry-After')) ctx.set('Retry-After', RETRY_AFTER_SECONDS);
      // @koa/router answers a method it has never heard of (TRACE, PROPFIND, …) with 501, on every path. For the
      // client that is the same mistake as any method a path does not take, and a 5xx would count as our failure
      // in every error rate: 405 with the router's Allow header, or 404 where no route has that path.
      if (ctx.status === 501) ctx.status = ctx.response.get('Allow') ? 405 : 404;
    } catch (error) {
      if (error instanceof DomainError) {
        ctx.status = statusFor(error);
        if (error instanceof DependencyUnavailableError) ctx.set('Retry-After', RETRY_AFTER_SECONDS);
        if (error instanceof AccountLockedError) ctx.set('Retry-After', String(error.retryAfterSeconds));
        const field = error instanceof ValidationError ? error.field : undefined;
        const feedback = error instanceof WeakPasswordError ? error.feedback : undefined;
        ctx.body = {
          error: error.code,
          error_description: error.message,
          ...(field ? { field } : {}),
          ...(feedback ? { feedback } : {}),
        };
        return;
      }
      const httpError = error as { status?: number; expose?: boolean; message?: string; error_description?: string };
      if (httpError.status === 503) {
        ctx.status = 503;
        ctx.set('Retry-After', RETRY_AFTER_SECONDS);
        ctx.body = { error: 'temporarily_unavailable', error_description: httpError.error_description ?? 'retry shortly' };
        return;
      }
      if (httpError.status && httpError.status >= 400 && httpError.status < 500) {
        ctx.status = httpError.status;
        ctx.body = { error: 'invalid_request', error_description: httpError.expose ? httpError.message : 'bad request' };
        return;
      }
      ctx.state.log?.error({ err: error }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'internal error', request_id: ctx.state.requestId };
    }
  };
}
