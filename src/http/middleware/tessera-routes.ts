import type Router from '@koa/router';
import compose from 'koa-compose';
import type { Middleware } from 'koa';
import { BoundedMap } from '../../shared/bounded-map.js';

/** Paths whose routing was decided, remembered; a few thousand cover every fixed path and the recent dynamic ones. */
const REMEMBERED_DECISIONS = 4_096;

/**
 * Tessera's own routers (health, metrics, static assets, interactions, account, admin, …), each as `routes()` then
 * `allowedMethods()`, in the given order, mounted as one middleware that steps aside for a request none of them
 * routes. Most traffic is oidc-provider's (`/token`, introspection, discovery); through a dozen router middleware
 * that each match and await the rest, every such request paid ≈ 30 µs of Koa dispatch before reaching the provider.
 *
 * Stepping aside answers exactly as the full chain would. When no router has a route for the path and method, and
 * every router implements the method, each `routes()` only passes the request on; each `allowedMethods()` acts
 * only afterwards, and only on a request left unanswered (404): then it runs here, with the path's matches recorded
 * as `routes()` would have recorded them, so a wrong method on a router's path still gets 405 with Allow.
 * Any other request runs the full chain.
 */
export function tesseraRoutes(routers: readonly Router[]): Middleware {
  const chain = compose(routers.flatMap((router) => [router.routes(), router.allowedMethods()]) as Middleware[]);
  // On the way back the full chain runs the last router's allowedMethods() first.
  const allowedMethods = compose(routers.map((router) => router.allowedMethods()).reverse() as Middleware[]);
  // Whether a router takes a method and path never changes (routers are fixed once the app is built), and the same
  // few provider paths (/token, its introspection, …) make most traffic: matching them against every router each
  // time was ≈ 4 µs a request.
  const decisions = new BoundedMap<string, boolean>(REMEMBERED_DECISIONS);
  const isRouted = (method: string, path: string) => {
    const key = `${method} ${path}`;
    let routed = decisions.get(key);
    if (routed === undefined) {
      routed = routers.some((router) => !router.methods.includes(method) || router.match(path, method).route);
      decisions.set(key, routed);
    }
    return routed;
  };
  return async (ctx, next) => {
    const { method, path } = ctx;
    if (isRouted(method, path)) return chain(ctx, next);
    await next();
    if (ctx.status !== 404) return;
    (ctx as { matched?: unknown[] }).matched = routers.flatMap((router) => router.match(path, method).path);
    await allowedMethods(ctx, async () => {});
  };
}
