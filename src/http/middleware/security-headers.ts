import helmet from 'helmet';
import type { Middleware } from 'koa';

const TWO_YEARS_SECONDS = 63_072_000;

/**
 * helmet's headers, adapted to an authorization server:
 * - no `form-action`: browsers apply it to the redirect after the login form, which goes to the client's
 *   redirect_uri on another origin;
 * - `upgrade-insecure-requests` only where HTTPS is enforced, or plain-HTTP development could not load its CSS.
 * oidc-provider adds the hash of its one inline script (form_post) to `script-src` itself.
 */
export function securityHeaders(options: { forceHttps: boolean }): Middleware {
  const apply = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        ...(options.forceHttps ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: { maxAge: TWO_YEARS_SECONDS, includeSubDomains: true, preload: true },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  return async (ctx, next) => {
    await new Promise<void>((resolve, reject) => {
      apply(ctx.req, ctx.res, (error?: unknown) => (error ? reject(error) : resolve()));
    });
    await next();
  };
}
