import type { Middleware } from 'koa';
import type { Metrics } from '../../observability/metrics.js';
import { routeOf } from '../route.js';

/** Methods outside this set share one label, so a client inventing methods cannot grow the series. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Counts and times every request by method, route pattern and final status. It sits outside the error boundary, so
 * the status it sees is the one the client gets.
 */
export function httpMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const labels = {
        method: KNOWN_METHODS.has(ctx.method) ? ctx.method : 'OTHER',
        route: routeOf(ctx),
        status: String(ctx.status),
      };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
