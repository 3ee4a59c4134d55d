import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Koa, { type DefaultState } from 'koa';
import { requestContext } from '../../src/http/middleware/request-context.js';
import { createLogger } from '../../src/observability/logger.js';
import { serveOnLoopback, type LoopbackServer } from '../support/loopback-server.js';

describe('request context', () => {
  let server: LoopbackServer;
  const states: DefaultState[] = [];

  beforeAll(async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.state.earlier = 'kept';
      await next();
    });
    app.use(requestContext(createLogger('silent')));
    app.use((ctx) => {
      states.push(ctx.state);
      ctx.body = 'ok';
    });
    server = await serveOnLoopback(app.callback());
  });
  afterAll(() => server.close());

  it("names each request, keeps what earlier middleware put in state, and makes the request's logger once", async () => {
    const answers = [await fetch(server.base), await fetch(server.base, { headers: { 'X-Request-Id': 'trace-7' } })];
    const [first, second] = states as [DefaultState, DefaultState];
    expect(answers.map((answer) => answer.headers.get('x-request-id'))).toEqual([first.requestId, 'trace-7']);
    expect(first.requestId).toMatch(/^[\da-f-]{36}$/);
    expect(first.earlier).toBe('kept');
    expect(first.log).toBe(first.log);
    expect(first.log.bindings()).toMatchObject({ requestId: first.requestId });
    expect(second.log.bindings()).toMatchObject({ requestId: 'trace-7' });
  });

  it('defines the logger accessor once for all requests, not per request (patches/README.md)', () => {
    const [first, second] = states as [DefaultState, DefaultState];
    expect(Object.getOwnPropertyDescriptor(first, 'log')).toBeUndefined();
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
  });
});
