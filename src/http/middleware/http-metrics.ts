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
  // The series of each label set, bound once: prom-client otherwise hashes the labels on every call. The sets are
  // bounded (methods, route patterns, statuses), and so is this map.
  const series = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();
  const seriesOf = (method: string, route: string, status: string) => {
    const key = `${method} ${route} ${status}`;
    let found = series.get(key);
    if (!found) {
      const labels = { method, route, status };
      found = { count: metrics.httpRequests.labels(labels), duration: metrics.httpDuration.labels(labels) };
      series.set(key, found);
    }
    return found;
  };
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const { count, duration } = seriesOf(KNOWN_METHODS.has(ctx.method) ? ctx.method : 'OTHER', routeOf(ctx), String(ctx.status));
      count.inc();
      duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
