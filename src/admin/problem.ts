import type { Context, Middleware, Next } from 'koa';
import { WeakPasswordError } from '../accounts/index.js';
import { InsufficientScopeError, InvalidTokenError, MissingTokenError } from '../gateway/errors.js';
import { ConflictError, DependencyUnavailableError, DomainError, NotFoundError, ValidationError } from '../shared/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One field that failed validation, named as a path into the request (`redirect_uris.0`, `query.limit`). */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem the admin API answers with; thrown by handlers, rendered by `renderProblem`. */
export class AdminProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'AdminProblem';
  }
}

/** The problem type URIs are relative to the API: stable identifiers a client can switch on. */
const TYPES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'validation-failed',
  429: 'too-many-requests',
  500: 'internal-error',
  503: 'temporarily-unavailable',
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Temporarily unavailable',
};

export function problemTypeOf(status: number): string {
  return `/admin/api/v1/problems/${TYPES[status] ?? 'error'}`;
}

/** What any thrown error means for an admin API client; unknown errors become a 500 that reveals nothing. */
export function problemOf(error: unknown): AdminProblem {
  if (error instanceof AdminProblem) return error;
  if (error instanceof MissingTokenError || error instanceof InvalidTokenError) {
    const detail = error instanceof MissingTokenError ? 'a bearer access token is required' : `invalid access token: ${error.message}`;
    return new AdminProblem(401, TITLES[401]!, detail, [], {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`,
    });
  }
  if (error instanceof InsufficientScopeError) {
    return new AdminProblem(403, TITLES[403]!, error.message, [], {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${error.requiredScopes.join(' ')}"`,
    });
  }
  if (error instanceof ValidationError || error instanceof WeakPasswordError) {
    const field = error instanceof ValidationError ? (error.field ?? 'body') : 'password';
    return new AdminProblem(422, TITLES[422]!, error.message, [{ field, message: error.message }]);
  }
  if (error instanceof NotFoundError) return new AdminProblem(404, TITLES[404]!, error.message);
  if (error instanceof ConflictError) return new AdminProblem(409, TITLES[409]!, error.message);
  if (error instanceof DependencyUnavailableError) {
    return new AdminProblem(503, TITLES[503]!, error.message, [], { 'Retry-After': '5' });
  }
  if (error instanceof DomainError) return new AdminProblem(400, TITLES[400]!, error.message);
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 600 && status !== 500) {
    const exposed = (error as { expose?: boolean }).expose ? (error as Error).message : (TITLES[status] ?? 'error');
    return new AdminProblem(status, TITLES[status] ?? 'Error', exposed);
  }
  return new AdminProblem(500, TITLES[500]!, 'internal error');
}

export function renderProblem(ctx: Context, problem: AdminProblem): void {
  ctx.status = problem.status;
  for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = {
    type: problemTypeOf(problem.status),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    ...(problem.errors.length ? { errors: problem.errors } : {}),
    ...(ctx.state.requestId ? { instance: `urn:request:${String(ctx.state.requestId)}` } : {}),
  };
  ctx.type = PROBLEM_CONTENT_TYPE;
}

/**
 * Mounted before the rate limit and body limit (src/http/app.ts): whatever answers an /admin/api request with an
 * error (the rate limit's 429, the body limit's 413, an unrouted 404 or 405, a thrown error) reaches the client as
 * RFC 9457 problem details, like the API's own errors.
 */
export function adminProblemDetails(prefix = '/admin/api'): Middleware {
  const isApi = (path: string) => path === prefix || path.startsWith(`${prefix}/`);
  // Every request passes here; only the API's are wrapped, the rest pass through without a promise of their own.
  return (ctx, next) => (isApi(ctx.path) ? asProblemDetails(ctx, next) : next());
}

async function asProblemDetails(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    const problem = problemOf(error);
    if (problem.status >= 500) ctx.state.log?.error({ err: error }, 'admin API error');
    renderProblem(ctx, problem);
    return;
  }
  if (ctx.status >= 400 && ctx.response.type !== PROBLEM_CONTENT_TYPE) {
    const body = ctx.body as { error_description?: unknown } | undefined;
    const detail = typeof body?.error_description === 'string' ? body.error_description : (TITLES[ctx.status] ?? 'error');
    renderProblem(ctx, new AdminProblem(ctx.status, TITLES[ctx.status] ?? 'Error', detail));
  }
}
