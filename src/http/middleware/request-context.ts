import { randomUUID } from 'node:crypto';
import type { Context, DefaultState, Middleware } from 'koa';
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
    ctx.state = new RequestState(ctx.state, logger, requestId);
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      // The line's object is built only when it will be written (LOG_LEVEL=warn skips it).
      if (logger.isLevelEnabled('info')) {
        ctx.state.log.info(accessLine(ctx, Math.round(performance.now() - started)), 'request');
      }
    }
  };
}

/**
 * `state.log` is the request's child logger, created on first use: pino runs a child's bindings through redaction
 * when it is made, a cost most requests (nothing to log at the configured level) never need to pay. The accessor
 * lives on the class, shared by every request: an accessor written per request (an object literal's `get`, or
 * Object.defineProperty) gets an AccessorPair that V8 keeps in the old generation, which would hold each request's
 * child logger through every scavenge until the next full collection (patches/README.md).
 */
class RequestState implements DefaultState {
  [key: string]: unknown;
  requestId: string;
  #logger: Logger;
  #child: Logger | undefined;

  constructor(earlier: DefaultState, logger: Logger, requestId: string) {
    // Whatever a middleware mounted earlier put there (nothing, in Tessera's chain) is kept.
    Object.assign(this, earlier);
    this.requestId = requestId;
    this.#logger = logger;
  }

  get log(): Logger {
    return (this.#child ??= this.#logger.child({ requestId: this.requestId }));
  }

  set log(replacement: Logger) {
    this.#child = replacement;
  }
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
