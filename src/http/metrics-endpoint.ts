import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import type { Metrics } from '../observability/metrics.js';

export const METRICS_PATH = '/metrics';

/**
 * /metrics on the public listener, for bearers of the configured token only (Prometheus' `authorization`
 * scrape setting). Without a token this router is not mounted and the public listener has no /metrics at all.
 */
export function protectedMetricsRoute(metrics: Metrics, token: string): Router {
  const router = new Router();
  router.get(METRICS_PATH, async (ctx) => {
    if (!presentsToken(ctx, token)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      ctx.body = { error: 'invalid_token', error_description: 'a valid metrics token is required' };
      return;
    }
    await sendMetrics(ctx, metrics);
  });
  return router;
}

/**
 * The internal listener's app: /metrics and nothing else, unauthenticated, because only what can reach its address
 * (loopback by default, or a pod network a scraper shares) can ask.
 */
export function internalMetricsApp(metrics: Metrics): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    if (ctx.method !== 'GET' || ctx.path !== METRICS_PATH) {
      ctx.status = 404;
      return;
    }
    await sendMetrics(ctx, metrics);
  });
  return app;
}

async function sendMetrics(ctx: Context, metrics: Metrics): Promise<void> {
  ctx.set('Cache-Control', 'no-store');
  ctx.type = metrics.contentType;
  ctx.body = await metrics.render();
}

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
function presentsToken(ctx: Context, token: string): boolean {
  const match = /^Bearer (\S+)$/.exec(ctx.get('authorization'));
  if (!match) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}
