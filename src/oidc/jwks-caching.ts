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
  const router = new Router();
  router.get(JWKS_PATH, async (ctx, next) => {
    await next();
    if (ctx.status !== 200 || ctx.body === undefined) return;
    ctx.set('Cache-Control', `public, max-age=${maxAgeSeconds}`);
    ctx.etag = createHash('sha256').update(JSON.stringify(ctx.body)).digest('base64url').slice(0, 27);
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
