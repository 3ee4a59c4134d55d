import Koa from 'koa';
import compose from 'koa-compose';
import type Provider from 'oidc-provider';
import type Router from '@koa/router';
import type { Logger } from '../observability/logger.js';
import type { HealthCheck } from '../storage/ports.js';
import { healthRoutes } from './health.js';
import { errorBoundary } from './middleware/error-boundary.js';
import { httpsRedirect } from './middleware/https-redirect.js';
import { requestContext } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { staticAssets } from './static-assets.js';

export interface HttpAppOptions {
  issuer: string;
  forceHttps: boolean;
  trustProxy: boolean;
  /** Signing keys for cookies; oidc-provider's cookies are set through this app's context. */
  cookieKeys: string[];
  logger: Logger;
  provider: Provider;
  healthChecks: HealthCheck[];
  /** Tessera's own routers (interactions, account, admin), in front of the provider's routes. */
  routers: Router[];
}

/** The middleware chain of DESIGN.md, in order. */
export function createHttpApp(options: HttpAppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy, keys: options.cookieKeys });
  app.silent = true;
  app.use(requestContext(options.logger));
  app.use(errorBoundary());
  if (options.forceHttps) app.use(httpsRedirect(options.issuer));
  app.use(securityHeaders({ forceHttps: options.forceHttps }));
  for (const router of [healthRoutes(options.healthChecks), staticAssets(), ...options.routers]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  // oidc-provider is a Koa app itself; composing its middleware mounts it at the root with our context.
  app.use(compose(options.provider.middleware));
  return app;
}
