import type { Context } from 'koa';
import type { RequestMeta } from '../audit/index.js';

/** Who is calling, for throttles and the audit trail. `ctx.ip` honours X-Forwarded-For only behind a trusted proxy. */
export function requestMeta(ctx: Context): RequestMeta {
  const userAgent = ctx.get('user-agent');
  return { ip: ctx.ip, ...(userAgent ? { userAgent: userAgent.slice(0, 512) } : {}) };
}
