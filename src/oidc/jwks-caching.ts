import { createHash } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { KoaContextWithOIDC, default as Provider } from 'oidc-provider';
import { publishedKeys } from './keystore-swap.js';
import { ProviderResponseCache } from './provider-response-cache.js';

/** Where oidc-provider serves the public key set (its default route). */
export const JWKS_PATH = '/jwks';

/**
 * Gateways fetch the JWKS to verify JWT access tokens locally; letting them (and any HTTP cache in between) keep
 * it for `maxAgeSeconds` saves a round trip per token. It is safe because a new signing key is published a lead
 * time longer than that before it signs (key-ring.ts), so a cached set always holds every key in use. The ETag
 * lets a cache revalidate for the price of a 304.
 *
 * Tessera itself keeps oidc-provider's answer too (provider-response-cache.ts), under the provider's published key
 * array: keystore-swap.ts replaces that array when the keys change, so the first request after a swap runs
 * through oidc-provider again and every later one gets the new set. The provider is the one that answered the
 * first request (its context names it), so nothing is kept before oidc-provider has answered once.
 */
export function jwksCaching(maxAgeSeconds: number): Router {
  const cache = new ProviderResponseCache();
  let provider: Provider | undefined;
  const noKeysYet = {};
  // Both a kept answer and oidc-provider's `keys` array stay the same object until the keys change
  // (keystore-swap.ts replaces it), so the hash is computed once per key set, not per request.
  const etags = new WeakMap<object, string>();
  const etagOf = (unchangedWhileKeysAre: object, json: () => string) => {
    let etag = etags.get(unchangedWhileKeysAre);
    if (!etag) {
      etag = createHash('sha256').update(json()).digest('base64url').slice(0, 27);
      etags.set(unchangedWhileKeysAre, etag);
    }
    return etag;
  };
  const cacheControl = `public, max-age=${maxAgeSeconds}`;
  const router = new Router();
  router.get(JWKS_PATH, async (ctx, next) => {
    const cached = await cache.serve(ctx, next, provider ? publishedKeys(provider) : noKeysYet);
    provider ??= answeringProvider(ctx);
    if (cached) {
      ctx.etag = etagOf(cached, () => cached.body);
    } else {
      if (ctx.status !== 200 || ctx.body === null || typeof ctx.body !== 'object') return;
      const body = ctx.body as { keys?: unknown };
      ctx.etag = etagOf(typeof body.keys === 'object' && body.keys !== null ? body.keys : body, () => JSON.stringify(body));
    }
    ctx.set('Cache-Control', cacheControl);
    // Koa's `fresh` copies every response header before it looks at the request; most fetches are unconditional.
    if (isConditional(ctx) && ctx.fresh) {
      ctx.status = 304;
      ctx.body = null;
    }
  });
  return router;
}

function isConditional(ctx: Context): boolean {
  return ctx.get('If-None-Match') !== '' || ctx.get('If-Modified-Since') !== '';
}

function answeringProvider(ctx: Context): Provider | undefined {
  // oidc-provider defines `ctx.oidc` (a getter) on the contexts of the routes it answered.
  return Object.getOwnPropertyDescriptor(ctx, 'oidc') ? (ctx as KoaContextWithOIDC).oidc.provider : undefined;
}

/**
 * Caches may keep the set for at most half the rotation lead time (and five minutes): a key published at rotation
 * reaches every cache well before it starts signing.
 */
export function jwksMaxAgeFor(leadTimeSeconds: number): number {
  return Math.min(300, Math.floor(leadTimeSeconds / 2));
}
