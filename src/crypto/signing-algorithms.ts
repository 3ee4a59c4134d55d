import type { JwtSigningAlgorithm } from '../storage/ports.js';

/** Every algorithm Tessera signs with: RS256 (the OpenID Connect default for ID tokens), ES256, EdDSA. */
export const SIGNING_ALGORITHMS: readonly JwtSigningAlgorithm[] = ['ES256', 'RS256', 'EdDSA'];

const KEY_SHAPE: Record<JwtSigningAlgorithm, { kty: string; crv?: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  RS256: { kty: 'RSA' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

/** True when oidc-provider would pick this JWK to sign with `alg` (same rules as its keystore selection). */
export function canSignWith(jwk: Record<string, unknown>, alg: JwtSigningAlgorithm): boolean {
  const shape = KEY_SHAPE[alg];
  return (
    jwk.kty === shape.kty &&
    (shape.crv === undefined || jwk.crv === shape.crv) &&
    (jwk.alg === undefined || jwk.alg === alg) &&
    (jwk.use === undefined || jwk.use === 'sig')
  );
}

/** The algorithms no key of the set can sign with. */
export function missingSigningAlgorithms(keys: Array<Record<string, unknown>>): JwtSigningAlgorithm[] {
  return SIGNING_ALGORITHMS.filter((alg) => !keys.some((jwk) => canSignWith(jwk, alg)));
}
