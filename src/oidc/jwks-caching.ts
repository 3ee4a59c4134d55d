import { createHash } from 'node:crypto';
import Router from '@koa/router';

/** Where oidc-provider serves the public key set (its default route). */
export const JWKS_PATH = '/jwks';

/**
 * Gateways fetch the JWKS to verify JWT access tokens locally; letting them (and any HTTP cache in between) keep
 * it for `maxAgeSeconds` saves a round trip per token. It is safe because a new signing key is published a lead
 * time longer than that before it signs (key-ring.ts), so a cached set always holds every key in use. The ETag
 * lets a cache revalidate for the price of a 304.
 */
export function jwksCaching(maxAgeSeconds: number): Router {
  // oidc-provider answers with the same `keys` array until the keys change (keystore-swap.ts replaces it), so the
  // hash is computed once per key set, not per request.
  const etags = new WeakMap<object, string>();
  const etagOf = (body: { keys?: unknown }) => {
    const cacheKey = typeof body.keys === 'object' && body.keys !== null ? body.keys : body;
    let etag = etags.get(cacheKey);
    if (!etag) {
      etag = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27);
      etags.set(cacheKey, etag);
    }
    return etag;
  };
  const router = new Router();
  router.get(JWKS_PATH, async (ctx, next) => {
    await next();
    if (ctx.status !== 200 || ctx.body === null || typeof ctx.body !== 'object') return;
    ctx.set('Cache-Control', `public, max-age=${maxAgeSeconds}`);
    ctx.etag = etagOf(ctx.body as { keys?: unknown });
    if (ctx.fresh) {
      ctx.status = 304;
      ctx.body = null;
    }
  });
  return router;
}

/**
 * Caches may keep the set for at most half the rotation lead time (and five minutes): a key published at rotation
 * reaches every cache well before it starts signing.
 */
export function jwksMaxAgeFor(leadTimeSeconds: number): number {
  return Math.min(300, Math.floor(leadTimeSeconds / 2));
}
