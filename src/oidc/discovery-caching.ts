import Router from '@koa/router';
import type Provider from 'oidc-provider';
import { ProviderResponseCache } from './provider-response-cache.js';

/** Where oidc-provider serves its metadata (OpenID Connect Discovery 1.0 and RFC 8414), mounted at the root. */
export const DISCOVERY_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];

/**
 * Serves oidc-provider's discovery document without rebuilding it per request: the document depends only on the
 * provider's configuration, fixed when it is built, and on the request's origin (the cache keeps one per origin).
 * Rebuilding it (≈ 20 URL constructions and a dozen arrays) was most of what a discovery request cost
 * (bench/ROUNDS.md). The bytes are oidc-provider's own: the first request of each origin runs through it.
 */
export function discoveryCaching(provider: Provider): Router {
  const cache = new ProviderResponseCache();
  const router = new Router();
  router.get(DISCOVERY_PATHS, async (ctx, next) => {
    await cache.serve(ctx, next, provider);
  });
  return router;
}
