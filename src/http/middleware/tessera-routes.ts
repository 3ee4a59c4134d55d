import type Router from '@koa/router';
import compose from 'koa-compose';
import type { Middleware } from 'koa';
import { BoundedMap } from '../../shared/bounded-map.js';

/** Paths whose routing was decided, remembered; a few thousand cover every fixed path and the recent dynamic ones. */
const REMEMBERED_DECISIONS = 4_096;

/**
 * Tessera's own routers (health, metrics, static assets, interactions, account, admin, …), each as `routes()` then
 * `allowedMethods()`, in the given order, mounted as one middleware that runs only the parts a request needs. Most
 * traffic is oidc-provider's (`/token`, introspection) or one router's (discovery, the JWKS); through a dozen router
 * middleware that each match the path against all their routes and await the rest, every such request paid
 * ≈ 30 µs of Koa dispatch.
 *
 * Both shortcuts answer exactly as the full chain would:
 * - A request no router has a route for, when every router implements its method, steps aside: each `routes()`
 *   would only pass it on, and each `allowedMethods()` acts only afterwards, on a request left unanswered (404);
 *   then they run here, with the path's matches recorded as `routes()` would have recorded them, so a wrong method
 *   on a router's path still gets 405 with Allow.
 * - Any other request runs the chain without the `routes()` of routers that have nothing at all on its path: such a
 *   `routes()` only records an empty list of matches and passes the request on. Every `allowedMethods()` stays, in
 *   its place, since which of them answers an unanswered request depends on where in the chain it stopped.
 */
export function tesseraRoutes(routers: readonly Router[]): Middleware {
  // On the way back the full chain runs the last router's allowedMethods() first.
  const allowedMethods = compose(routers.map((router) => router.allowedMethods()).reverse() as Middleware[]);
  const chainFor = chainsByConcernedRouters(routers);
  // Which routers a method and path concern never changes (routers are fixed once the app is built), and the same
  // few paths (/token, discovery, the JWKS) make most traffic: matching them against every router each time was
  // ≈ 4 µs a request. `null` is a request to step aside for.
  const decisions = new BoundedMap<string, Middleware | null>(REMEMBERED_DECISIONS);
  const decide = (method: string, path: string): Middleware | null => {
    const matches = routers.map((router) => router.match(path, method));
    const routed = routers.some((router, index) => !router.methods.includes(method) || matches[index]!.route);
    return routed ? chainFor(matches.map((match) => match.path.length > 0)) : null;
  };
  return async (ctx, next) => {
    const { method, path } = ctx;
    const key = `${method} ${path}`;
    let chain = decisions.get(key);
    if (chain === undefined) {
      chain = decide(method, path);
      decisions.set(key, chain);
    }
    if (chain) return chain(ctx, next);
    await next();
    if (ctx.status !== 404) return;
    (ctx as { matched?: unknown[] }).matched = routers.flatMap((router) => router.match(path, method).path);
    await allowedMethods(ctx, async () => {});
  };
}

/** The chain for each set of routers with something on the path, composed once per set (there are a handful). */
function chainsByConcernedRouters(routers: readonly Router[]): (concerned: boolean[]) => Middleware {
  const chains = new Map<string, Middleware>();
  return (concerned) => {
    const key = concerned.map((isConcerned) => (isConcerned ? '1' : '0')).join('');
    let chain = chains.get(key);
    if (!chain) {
      chain = compose([
        // The first router's routes() starts the list of matches even when it has none; allowedMethods() acts only
        // once the list exists (an unimplemented method on no route still gets 501).
        (ctx, nextMiddleware) => {
          (ctx as { matched?: unknown[] }).matched ??= [];
          return nextMiddleware();
        },
        ...(routers.flatMap((router, index) =>
          concerned[index] ? [router.routes(), router.allowedMethods()] : [router.allowedMethods()],
        ) as Middleware[]),
      ]);
      chains.set(key, chain);
    }
    return chain;
  };
}
