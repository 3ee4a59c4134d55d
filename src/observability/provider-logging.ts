import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from './logger.js';

/** oidc-provider's events for a request it refused with an OAuth error, one per endpoint we serve. */
const ERROR_EVENTS = [
  'authorization.error',
  'discovery.error',
  'end_session.error',
  'end_session_confirm.error',
  'grant.error',
  'introspection.error',
  'jwks.error',
  'registration_create.error',
  'revocation.error',
  'userinfo.error',
] as const;

interface OAuthError {
  error?: unknown;
  error_description?: unknown;
  error_detail?: unknown;
}

/**
 * Why oidc-provider refused a request, at debug level: the access log shows only a 400, and "which check failed"
 * (error_detail) is what an operator debugging a client needs. Only these three named fields are logged, not the
 * error object, whose cause and extra properties could carry request data.
 */
export function logProviderErrors(provider: Provider, fallback: Logger): void {
  // Through the plain EventEmitter signature: the typings declare these events one overload at a time.
  const events: NodeJS.EventEmitter = provider;
  for (const event of ERROR_EVENTS) {
    events.on(event, (ctx: KoaContextWithOIDC, error: OAuthError) => {
      const log = (ctx.state as { log?: Logger }).log ?? fallback;
      log.debug(
        { event, error: String(error.error), description: text(error.error_description), detail: text(error.error_detail) },
        'request refused by oidc-provider',
      );
    });
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
