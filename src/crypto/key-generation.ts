import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

export type SigningAlgorithm = 'ES256' | 'RS256' | 'EdDSA';

/** A private signing JWK with `kid`, `alg` and `use` set, ready for oidc-provider's `jwks`. */
export function generateSigningKey(alg: SigningAlgorithm): Record<string, unknown> {
  const { privateKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg, use: 'sig' };
}

/**
 * One key per algorithm clients may ask for: RS256 is the OpenID Connect default for ID tokens, ES256 signs
 * JWT access tokens, EdDSA is there for those who choose it.
 */
export function generateSigningKeySet(): { keys: Array<Record<string, unknown>> } {
  return { keys: [generateSigningKey('RS256'), generateSigningKey('ES256'), generateSigningKey('EdDSA')] };
}

export function generateCookieKeys(): string[] {
  return [randomBytes(32).toString('base64url')];
}
