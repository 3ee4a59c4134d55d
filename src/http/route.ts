import type { Context } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';

/** The label for requests no route matched: one value, so probing random paths cannot grow the metrics. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The pattern of the route that handled the request (`/interaction/:uid/login`, `/token`), never the raw path with
 * its ids. Both @koa/router and oidc-provider's router record it on the context.
 */
export function routeOf(ctx: Context): string {
  const route = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
  return typeof route === 'string' ? route : UNMATCHED_ROUTE;
}

/** The client oidc-provider identified (it sets ctx.oidc on its own routes), or the one a handler recorded. */
export function clientIdOf(ctx: Context): string | undefined {
  const oidc = (ctx as Partial<KoaContextWithOIDC>).oidc;
  return oidc?.client?.clientId ?? ctx.state.clientId;
}
