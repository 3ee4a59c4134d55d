import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import { requestMeta } from '../http/request-meta.js';
import type { AdminRoute } from './admin-route.js';
import type { AdminAuthorization } from './authorization.js';
import { AdminProblem, problemOf, renderProblem } from './problem.js';
import { parseWith, singleValued } from './validation.js';

export const ADMIN_API_PATH = '/admin/api/v1';
const JSON_LIMIT = '64kb';
const NO_QUERY = z.strictObject({});

/**
 * Mounts every admin route below /admin/api/v1. Each request is authorized first (401/403 before anything about
 * its content), then its path, query and body are parsed with the route's schemas, then the handler runs with the
 * caller's company. Every error is RFC 9457 problem details.
 */
export function adminRouter(routes: AdminRoute[], authorization: AdminAuthorization, openApi: () => unknown): Router {
  const router = new Router({ prefix: ADMIN_API_PATH });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: JSON_LIMIT, encoding: 'utf-8' });

  let document: unknown;
  router.get('/openapi.json', (ctx) => {
    document ??= openApi();
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = document;
  });

  for (const route of routes) {
    router[route.method](route.path, async (ctx) => {
      try {
        await handle(ctx, route);
      } catch (error) {
        const problem = problemOf(error);
        if (problem.status >= 500) ctx.state.log?.error({ err: error }, 'admin API error');
        renderProblem(ctx, problem);
      }
    });
  }

  async function handle(ctx: Context, route: AdminRoute): Promise<void> {
    ctx.set('Cache-Control', 'no-store');
    const caller = await authorization.callerFor(ctx.get('authorization') || undefined, route.scope);
    const params = route.params ? parseWith(route.params, ctx.params, 'path') : {};
    // A route without query parameters refuses any, like unknown body fields.
    const query = parseWith(route.query ?? NO_QUERY, singleValued(ctx.query), 'query');
    let body = {};
    if (route.body) {
      if (!ctx.is('application/json')) throw new AdminProblem(415, 'Unsupported media type', 'send the body as application/json');
      await json(ctx, async () => {});
      body = parseWith(route.body, (ctx.request as { body?: unknown }).body, 'body');
    }
    const result = await route.handle({ caller, params, query, body, meta: requestMeta(ctx) });
    if (result === undefined) {
      ctx.status = 204;
      return;
    }
    ctx.status = route.successStatus ?? 200;
    ctx.body = result;
  }

  return router;
}
