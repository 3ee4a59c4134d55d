import Koa from 'koa';
import compose from 'koa-compose';
import type Provider from 'oidc-provider';
import type Router from '@koa/router';
import { adminProblemDetails } from '../admin/index.js';
import type { RateLimitSettings } from '../config/index.js';
import { discoveryCaching } from '../oidc/discovery-caching.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { HealthCheck } from '../storage/ports.js';
import { healthRoutes } from './health.js';
import { protectedMetricsRoute } from './metrics-endpoint.js';
import { bodyLimit } from './middleware/body-limit.js';
import { errorBoundary } from './middleware/error-boundary.js';
import { httpMetrics } from './middleware/http-metrics.js';
import { httpsRedirect } from './middleware/https-redirect.js';
import { rateLimit } from './middleware/rate-limit.js';
import { requestContext } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { tesseraRoutes } from './middleware/tessera-routes.js';
import type { RateLimitWindows } from './rate-limit-windows.js';
import { tesseraRateLimitRules } from './rate-limits.js';
import { staticAssets } from './static-assets.js';

export interface HttpAppOptions {
  issuer: string;
  forceHttps: boolean;
  trustProxy: boolean;
  /** Signing keys for cookies; oidc-provider's cookies are set through this app's context. */
  cookieKeys: string[];
  logger: Logger;
  metrics: Metrics;
  /** Serves /metrics on this app to bearers of the token; without one, /metrics lives on the internal listener. */
  metricsToken?: string;
  /** Largest request body any endpoint takes, in bytes. */
  maxBodySize: number;
  rateLimits: RateLimitSettings;
  /** Where rate-limit windows are counted: locally far below a budget, else in the store every instance shares. */
  rateLimitWindows: RateLimitWindows;
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
  app.use(httpMetrics(options.metrics));
  app.use(errorBoundary());
  // The admin API answers every error, the rate limit's and body limit's included, as RFC 9457 problem details.
  app.use(adminProblemDetails());
  if (options.forceHttps) app.use(httpsRedirect(options.issuer));
  app.use(securityHeaders({ forceHttps: options.forceHttps }));
  app.use(bodyLimit(options.maxBodySize));
  app.use(
    rateLimit({
      windows: options.rateLimitWindows,
      rules: tesseraRateLimitRules(options.rateLimits),
      metrics: options.metrics,
    }),
  );
  const metricsRoutes = options.metricsToken ? [protectedMetricsRoute(options.metrics, options.metricsToken)] : [];
  app.use(
    tesseraRoutes([
      discoveryCaching(options.provider),
      healthRoutes(options.healthChecks),
      ...metricsRoutes,
      staticAssets(),
      ...options.routers,
    ]),
  );
  // oidc-provider is a Koa app itself; composing its middleware mounts it at the root with our context.
  app.use(compose(options.provider.middleware));
  return app;
}
