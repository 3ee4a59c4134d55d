import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import helmet from 'helmet';
import Koa from 'koa';
import { recordHeaders, securityHeaders } from '../../src/http/middleware/security-headers.js';
import { tesseraRoutes } from '../../src/http/middleware/tessera-routes.js';
import { serveOnLoopback, type LoopbackServer } from '../support/loopback-server.js';

describe('security headers recorded once', () => {
  it('are exactly the headers helmet sets on a real response', () => {
    const middleware = helmet({ frameguard: { action: 'deny' }, referrerPolicy: { policy: 'no-referrer' } });
    const response = new ServerResponse(new IncomingMessage(new Socket()));
    response.setHeader('X-Powered-By', 'something');
    middleware(response.req, response, () => undefined);
    expect(Object.fromEntries(recordHeaders(middleware).map(([name, value]) => [name.toLowerCase(), value]))).toEqual(
      response.getHeaders(),
    );
  });

  it('refuses a middleware that would decide per request, asynchronously', () => {
    expect(() => recordHeaders((_req, _res, next) => void setImmediate(next))).toThrow(/synchronously/);
  });
});

/**
 * Tessera's routers in front of a stand-in for oidc-provider (200 on /provider/*, 404 elsewhere), mounted as one
 * and, for comparison, one by one as the app used to mount them: every request must get the same answer.
 */
describe.each([
  ['every router implementing the common methods', false],
  ['one router implementing only GET and POST', true],
])("Tessera's routers as one middleware, %s", (_title, withNarrowRouter) => {
  const servers: LoopbackServer[] = [];
  let grouped: string;
  let oneByOne: string;
  const reachedProvider: string[] = [];

  function routers(): Router[] {
    const health = new Router();
    health.get('/healthz', (ctx) => void (ctx.body = 'ok'));
    const pages = new Router({ prefix: '/account' });
    pages.get('/', (ctx) => void (ctx.body = 'account'));
    pages.post('/password', (ctx) => void (ctx.body = 'changed'));
    // Like the CORS preflight routes: a router route on a provider path, for one method only.
    const preflight = new Router();
    preflight.options('/provider/token', async (ctx, next) => {
      if (!ctx.get('Origin')) return next();
      ctx.status = 204;
    });
    // A handler that answers 404 itself (an unknown interaction), and router middleware on a prefix.
    const interactions = new Router({ prefix: '/interaction' });
    interactions.use(async (ctx, next) => {
      ctx.set('X-Interaction', 'yes');
      await next();
    });
    interactions.get('/:uid', (ctx) => {
      if (ctx.params.uid === 'gone') ctx.status = 404;
      else ctx.body = `interaction ${ctx.params.uid}`;
    });
    // A second router on a path another one routes, passing it on (like the JWKS cache in front of the provider).
    const passing = new Router();
    passing.get('/healthz', async (ctx, next) => {
      await next();
      ctx.set('X-Passed', 'yes');
    });
    passing.get('/provider/jwks', async (ctx, next) => {
      await next();
      ctx.set('X-Cached', 'no');
    });
    // A router that implements few methods: its allowedMethods() answers 501 to the others.
    const narrow = new Router({ methods: ['GET', 'POST'] });
    narrow.post('/narrow', (ctx) => void (ctx.body = 'narrow'));
    return [health, pages, interactions, passing, ...(withNarrowRouter ? [narrow] : []), preflight];
  }

  async function serve(mount: (app: Koa) => void, record: boolean): Promise<string> {
    const app = new Koa();
    mount(app);
    app.use((ctx) => {
      if (record) reachedProvider.push(`${ctx.method} ${ctx.path}`);
      if (ctx.path.startsWith('/provider/') && ['GET', 'POST'].includes(ctx.method)) ctx.body = 'provider';
    });
    const server = await serveOnLoopback(app.callback());
    servers.push(server);
    return server.base;
  }

  beforeAll(async () => {
    grouped = await serve((app) => app.use(tesseraRoutes(routers())), true);
    oneByOne = await serve((app) => {
      for (const router of routers()) {
        app.use(router.routes());
        app.use(router.allowedMethods());
      }
    }, false);
  });

  afterAll(() => Promise.all(servers.map((server) => server.close())));

  const call = async (base: string, method: string, path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(base + path, { method, headers });
    const header = (name: string) => response.headers.get(name);
    return {
      status: response.status,
      allow: header('allow'),
      marks: [header('x-interaction'), header('x-passed'), header('x-cached')],
      body: await response.text(),
    };
  };

  it('answers every request exactly as the routers mounted one by one', async () => {
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PROPFIND'];
    const paths = [
      '/healthz',
      '/account',
      '/account/password',
      '/interaction/abc',
      '/interaction/gone',
      '/interaction',
      '/narrow',
      '/provider/token',
      '/provider/jwks',
      '/nowhere',
    ];
    for (const method of methods) {
      for (const path of paths) {
        for (const headers of [{}, { Origin: 'https://app.example.com' }] as Array<Record<string, string>>) {
          expect({ method, path, headers, ...(await call(grouped, method, path, headers)) }).toEqual({
            method,
            path,
            headers,
            ...(await call(oneByOne, method, path, headers)),
          });
        }
      }
    }
  });

  it('passes requests no router routes straight on, and routes the others', async () => {
    reachedProvider.length = 0;
    expect(await call(grouped, 'GET', '/provider/jwks')).toMatchObject({
      status: 200,
      body: 'provider',
      marks: [null, null, 'no'],
    });
    expect(await call(grouped, 'POST', '/provider/token')).toMatchObject({ status: 200, body: 'provider' });
    expect(await call(grouped, 'GET', '/account')).toMatchObject({ status: 200, body: 'account' });
    expect(await call(grouped, 'DELETE', '/provider/token')).toMatchObject({ status: 405, allow: 'OPTIONS' });
    expect(reachedProvider).toEqual(['GET /provider/jwks', 'POST /provider/token', 'DELETE /provider/token']);
  });
});

describe('security headers middleware', () => {
  it('sets the recorded headers on every response', async () => {
    const app = new Koa();
    app.use(securityHeaders({ forceHttps: true }));
    app.use((ctx) => void (ctx.body = 'ok'));
    const server = await serveOnLoopback(app.callback());
    try {
      const response = await fetch(`${server.base}/`);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains; preload');
      expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-powered-by')).toBeNull();
    } finally {
      await server.close();
    }
  });
});
