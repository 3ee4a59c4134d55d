import type { Middleware } from 'koa';
import type { Metrics } from '../../observability/metrics.js';
import type { SecurityCounters } from '../../storage/ports.js';

export interface RateLimitRule {
  /** Names the limit in counter keys, metrics and logs. */
  name: string;
  /** The requests it counts; an absent method list means every method. */
  path: RegExp;
  methods?: readonly string[];
  /** Requests per client IP per window; 0 turns the rule off. */
  limit: number;
}

export interface RateLimitOptions {
  counters: SecurityCounters;
  windowSeconds: number;
  rules: readonly RateLimitRule[];
  metrics: Metrics;
}

/** Matches a path and everything under it: `/token` covers `/token/introspection`, not `/tokens`. */
export function underPath(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:/|$)`);
}

/**
 * Per-IP fixed-window rate limits for the endpoints worth attacking. The first rule that matches a request counts
 * it in the shared SecurityCounters (Redis when configured), so every instance enforces one budget. Over the
 * limit the answer is 429 with Retry-After; the port reports only the count, not when the window opened, so
 * Retry-After is the whole window: an upper bound, never too early.
 *
 * If the counters cannot be reached the request goes through: this is a cost control in front of endpoints that
 * have their own protection (the login lockout fails closed), and refusing all traffic because of it would turn
 * a store outage into a full outage of endpoints that might not need that store.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const rules = options.rules.filter((rule) => rule.limit > 0);
  return async (ctx, next) => {
    const rule = rules.find(
      (candidate) => candidate.path.test(ctx.path) && (!candidate.methods || candidate.methods.includes(ctx.method)),
    );
    if (!rule) return next();
    let hits: number;
    try {
      hits = await options.counters.hit(`rate:${rule.name}:${ctx.ip}`, options.windowSeconds);
    } catch (error) {
      ctx.state.log.warn({ err: error, limit: rule.name }, 'rate limit not enforced: counters unavailable');
      return next();
    }
    if (hits <= rule.limit) return next();
    options.metrics.rateLimited.inc({ limit: rule.name });
    ctx.status = 429;
    ctx.set('Retry-After', String(options.windowSeconds));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: 'too_many_requests', error_description: 'rate limit exceeded, retry later' };
  };
}
