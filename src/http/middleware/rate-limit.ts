import type { Context, Middleware, Next } from 'koa';
import type { Metrics } from '../../observability/metrics.js';
import type { RateLimitWindows } from '../rate-limit-windows.js';

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
  /** Where hits are counted: locally far below a budget, in the shared SecurityCounters near it. */
  windows: RateLimitWindows;
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
 * Far below a budget (at most half of it, for budgets of 100 and more) hits are counted locally and reach the
 * store in one call per key every second (RateLimitWindows); past half, every request asks the store again. So
 * an IP can get more than its budget only by spending it within about a second on several instances: at most
 * (instances − 1) × half the budget more.
 *
 * If the counters cannot be reached the request goes through: this is a cost control in front of endpoints that
 * have their own protection (the login lockout fails closed), and refusing all traffic because of it would turn
 * a store outage into a full outage of endpoints that might not need that store. The outage is logged once a
 * window, not on every request.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const rules = options.rules.filter((rule) => rule.limit > 0);
  const limited = async (ctx: Context, next: Next, rule: RateLimitRule) => {
    const counted = await options.windows.hit(`rate:${rule.name}:${ctx.ip}`, rule.limit);
    if (!counted.counted) {
      if (counted.report) {
        const message = 'rate limits not enforced: counters unavailable (logged once a window)';
        ctx.state.log.warn({ err: counted.error, limit: rule.name }, message);
      }
      return next();
    }
    if (counted.hits <= rule.limit) return next();
    options.metrics.rateLimited.inc({ limit: rule.name });
    ctx.status = 429;
    ctx.set('Retry-After', String(options.windows.windowSeconds));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: 'too_many_requests', error_description: 'rate limit exceeded, retry later' };
  };
  // Requests no rule counts (discovery, JWKS, pages) pass through without a promise of their own.
  return (ctx, next) => {
    const rule = rules.find(
      (candidate) => candidate.path.test(ctx.path) && (!candidate.methods || candidate.methods.includes(ctx.method)),
    );
    return rule ? limited(ctx, next, rule) : next();
  };
}
