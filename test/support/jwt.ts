import { createPublicKey, verify } from 'node:crypto';

export interface DecodedJwt {
  header: Record<string, any>;
  payload: Record<string, any>;
}

export function decodeJwt(token: string): DecodedJwt {
  const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

/** The issuer's public key set, as a gateway fetches it. */
export async function fetchJwks(issuer: string): Promise<Array<Record<string, any>>> {
  const response = await fetch(`${issuer}/jwks`);
  if (response.status !== 200) throw new Error(`/jwks answered ${response.status}`);
  return ((await response.json()) as { keys: Array<Record<string, any>> }).keys;
}

/**
 * Verifies a JWS the way an independent gateway would: picks the key by `kid` from the published set and checks
 * the signature with node:crypto (no code of the server under test involved). Returns the decoded token.
 */
export function verifyJwt(token: string, keys: Array<Record<string, any>>): DecodedJwt {
  const decoded = decodeJwt(token);
  const jwk = keys.find((key) => key.kid === decoded.header.kid);
  if (!jwk) throw new Error(`no published key with kid ${decoded.header.kid}`);
  const [header, payload, signature] = token.split('.');
  const data = Buffer.from(`${header}.${payload}`);
  const key = createPublicKey({ key: jwk as any, format: 'jwk' });
  const alg = decoded.header.alg;
  const ok =
    alg === 'ES256'
      ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'))
      : alg === 'RS256'
        ? verify('sha256', data, key, Buffer.from(signature!, 'base64url'))
        : alg === 'EdDSA'
          ? verify(null, data, key, Buffer.from(signature!, 'base64url'))
          : false;
  if (!ok) throw new Error(`bad ${alg} signature`);
  return decoded;
}
