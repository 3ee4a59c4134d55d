import { randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../../observability/logger.js';
import { clientIdOf, routeOf, UNMATCHED_ROUTE } from '../route.js';

const INCOMING_ID = /^[\w.:-]{1,128}$/;

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
    /** The company the request acts in, set by a handler that knows it; the access-log line names it. */
    company?: string;
    /** The OAuth client the request is for, set by a handler outside oidc-provider that knows it. */
    clientId?: string;
  }
}

/**
 * Gives every request an id (the caller's X-Request-Id when it looks sane, so traces join up across a proxy),
 * a child logger carrying it, and one access-log line when it ends.
 *
 * The line names the matched route pattern (`/interaction/:uid/login`), not the path: path parameters are ids that
 * double as credentials (an interaction's uid is its cookie's value). Only a request no route matched logs its raw
 * path, to show what was probed. Never the query string (codes, tokens, hints), a header or a body.
 */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      ctx.state.log.info(accessLine(ctx, Math.round(performance.now() - started)), 'request');
    }
  };
}

function accessLine(ctx: Context, ms: number): Record<string, unknown> {
  const clientId = clientIdOf(ctx);
  const route = routeOf(ctx);
  return {
    method: ctx.method,
    route,
    ...(route === UNMATCHED_ROUTE ? { path: ctx.path } : {}),
    status: ctx.status,
    ms,
    ip: ctx.ip,
    ...(clientId ? { clientId } : {}),
    ...(ctx.state.company ? { company: ctx.state.company } : {}),
  };
}
