import type Provider from 'oidc-provider';
// oidc-provider's per-instance internals (its keystore and the published JWKS). Not part of its typed API; see
// below for why Tessera reaches in and how a change in oidc-provider would show.
import instance from 'oidc-provider/lib/helpers/weak_cache.js';

type Jwk = Record<string, unknown>;

interface ProviderKeystore {
  clear(): void;
  add(key: Jwk): void;
  [Symbol.iterator](): Iterator<Jwk>;
}

/** The public members oidc-provider itself publishes for a key (initialize_keystore.js). */
const PUBLIC_MEMBERS = ['kty', 'use', 'key_ops', 'kid', 'alg', 'crv', 'e', 'n', 'x', 'y', 'x5c', 'pub'] as const;

/**
 * Replaces the signing keys of a running provider. oidc-provider reads `jwks` once, in its constructor; a rotated
 * key must reach every instance without a restart. Building a new Provider per change would drop what was
 * registered on the old one after construction (event listeners, grant types) and strand every module holding
 * it, so instead the keys inside the one provider are replaced: its keystore is emptied and refilled, and the
 * published set recomputed, synchronously, so no request ever sees a half-built set. The keys must already have
 * passed oidc-provider's own validation once (they do: every key is in the set the provider was built with or
 * comes from our own generator), and the order matters (key-ring.ts).
 */
export function replaceSigningKeys(provider: Provider, keys: Jwk[]): void {
  const internals = instance(provider) as { keystore?: ProviderKeystore; jwks?: { keys: Jwk[] } } | undefined;
  if (!internals?.keystore || typeof internals.keystore.clear !== 'function' || typeof internals.keystore.add !== 'function') {
    // Fails loudly (the rotation test covers it) rather than silently serving stale keys after an upgrade.
    throw new Error('oidc-provider internals changed: its keystore can no longer be replaced at run time');
  }
  const keystore = internals.keystore;
  keystore.clear();
  for (const key of keys) keystore.add(structuredClone(key));
  internals.jwks = { keys: keys.map(publicPart) };
}

/** The kids the provider holds now, in its order. */
export function signingKeyIds(provider: Provider): string[] {
  const internals = instance(provider) as { keystore?: ProviderKeystore } | undefined;
  return internals?.keystore ? [...internals.keystore].map((key) => String(key.kid)) : [];
}

function publicPart(jwk: Jwk): Jwk {
  return Object.fromEntries(PUBLIC_MEMBERS.filter((member) => jwk[member] !== undefined).map((member) => [member, jwk[member]]));
}

/** The public keys the provider publishes at /jwks right now (what a gateway would verify against). */
export function publishedKeys(provider: Provider): Jwk[] {
  const internals = instance(provider) as { jwks?: { keys: Jwk[] } } | undefined;
  return internals?.jwks?.keys ?? [];
}
