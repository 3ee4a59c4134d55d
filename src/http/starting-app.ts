import Koa from 'koa';
import { errorBoundary } from './middleware/error-boundary.js';
import { httpsRedirect } from './middleware/https-redirect.js';
import { securityHeaders } from './middleware/security-headers.js';

export interface StartingAppOptions {
  issuer: string;
  forceHttps: boolean;
  trustProxy: boolean;
  /** The dependencies start-up is waiting for, named in /readyz (never their addresses or credentials). */
  waitingFor(): readonly string[];
}

/** Soon enough to be served by the first retry after a store comes back; Tessera retries within 1-15 s. */
const RETRY_AFTER_SECONDS = '1';

/**
 * What the listeners answer while the stores needed to build the real app are still unavailable (see
 * src/startup/starting-gate.ts): the process is alive (/healthz 200, so no orchestrator restarts it), not ready
 * (/readyz 503, so no load balancer sends it traffic), and every other request is told to come back, in the OAuth
 * error format the authorization endpoint uses for this (`temporarily_unavailable`). The security headers and the
 * HTTPS redirect are the normal app's, so nothing about transport security changes while starting.
 */
export function startingApp(options: StartingAppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy });
  app.silent = true;
  app.use(errorBoundary());
  if (options.forceHttps) app.use(httpsRedirect(options.issuer));
  app.use(securityHeaders({ forceHttps: options.forceHttps }));
  app.use((ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const probe = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (probe && ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    ctx.status = 503;
    ctx.set('Retry-After', RETRY_AFTER_SECONDS);
    if (probe && ctx.path === '/readyz') {
      ctx.body = { status: 'starting', waitingFor: options.waitingFor() };
      return;
    }
    ctx.body = { error: 'temporarily_unavailable', error_description: 'Tessera is starting; retry shortly' };
  });
  return app;
}
