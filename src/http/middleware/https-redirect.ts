import type { Middleware } from 'koa';

/** Probes inside the cluster talk plain HTTP to the pod; they carry no secrets. */
const PLAIN_HTTP_ALLOWED = new Set(['/healthz', '/readyz']);

/**
 * Browsers that arrive over plain HTTP are sent to HTTPS with 308 (method and body kept). Anything else would
 * already have sent its credentials in clear text, so it is refused rather than redirected: a redirect would
 * teach clients that plain HTTP works.
 * `ctx.secure` honours X-Forwarded-Proto only when the app trusts its proxy (`app.proxy`).
 */
export function httpsRedirect(issuer: string): Middleware {
  const issuerHost = new URL(issuer).host;
  return async (ctx, next) => {
    if (ctx.secure || PLAIN_HTTP_ALLOWED.has(ctx.path)) return next();
    if (ctx.method === 'GET' || ctx.method === 'HEAD') {
      ctx.status = 308;
      ctx.redirect(`https://${issuerHost}${ctx.url}`);
      return;
    }
    ctx.status = 403;
    ctx.body = { error: 'invalid_request', error_description: 'HTTPS is required' };
  };
}
