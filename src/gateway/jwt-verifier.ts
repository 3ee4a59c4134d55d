import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { InvalidTokenError } from './errors.js';
import { decodeJsonPart, scopesOf, type VerifiedToken } from './verified-token.js';

type Jwk = Record<string, unknown>;

/** The hash and signature encoding node:crypto needs for each algorithm Tessera signs with. */
const ALGORITHMS: Record<string, { hash: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  RS256: { hash: 'sha256' },
  EdDSA: { hash: null },
};

/** Seconds of clock difference tolerated between instances. */
const CLOCK_SKEW = 5;

/**
 * Validates an RFC 9068 access token the way a gateway would, against Tessera's own published keys (read on each
 * call, so a rotation is seen at once): signature by `kid`, `typ: at+jwt`, issuer, lifetime. No store is asked, so a
 * store outage cannot make a valid JWT fail.
 */
export class JwtAccessTokenVerifier {
  private readonly keyObjects = new WeakMap<Jwk, KeyObject>();

  constructor(
    private readonly issuer: string,
    private readonly publishedKeys: () => Jwk[],
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  verify(token: string): VerifiedToken {
    const [encodedHeader, encodedPayload, signature] = token.split('.') as [string, string, string];
    const header = parseJson(encodedHeader);
    const payload = parseJson(encodedPayload);
    const algorithm = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
    if (!algorithm) throw new InvalidTokenError('unsupported signing algorithm');
    if (header.typ !== 'at+jwt' && header.typ !== 'application/at+jwt') throw new InvalidTokenError('not an access token');
    const jwk = this.publishedKeys().find((key) => key.kid === header.kid && key.alg === header.alg);
    if (!jwk) throw new InvalidTokenError('signed with an unknown key');
    const data = Buffer.from(`${encodedHeader}.${encodedPayload}`);
    const key = this.keyObjectOf(jwk);
    const valid = verify(algorithm.hash, data, algorithm.dsaEncoding ? { key, dsaEncoding: algorithm.dsaEncoding } : key, Buffer.from(signature, 'base64url'));
    if (!valid) throw new InvalidTokenError('bad signature');

    const now = this.now();
    if (payload.iss !== this.issuer) throw new InvalidTokenError('issued by someone else');
    if (typeof payload.exp !== 'number' || payload.exp <= now - CLOCK_SKEW) throw new InvalidTokenError('expired');
    if (typeof payload.nbf === 'number' && payload.nbf > now + CLOCK_SKEW) throw new InvalidTokenError('not yet valid');
    if (typeof payload.sub !== 'string' || typeof payload.client_id !== 'string') throw new InvalidTokenError('missing sub or client_id');
    // Certificate-bound (mTLS) tokens cannot be checked here: the gateway holds the TLS connection.
    if (payload.cnf?.['x5t#S256'] !== undefined) throw new InvalidTokenError('certificate-bound tokens are not accepted here');
    return {
      boundThumbprint: typeof payload.cnf?.jkt === 'string' ? payload.cnf.jkt : null,
      subject: payload.sub,
      clientId: payload.client_id,
      company: typeof payload.company === 'string' ? payload.company : null,
      scopes: scopesOf(payload.scope),
      audiences: Array.isArray(payload.aud) ? payload.aud.map(String) : typeof payload.aud === 'string' ? [payload.aud] : [],
    };
  }

  private keyObjectOf(jwk: Jwk): KeyObject {
    let key = this.keyObjects.get(jwk);
    if (!key) {
      key = createPublicKey({ key: jwk as never, format: 'jwk' });
      this.keyObjects.set(jwk, key);
    }
    return key;
  }
}

function parseJson(part: string): Record<string, any> {
  const value = decodeJsonPart(part);
  if (!value) throw new InvalidTokenError('malformed token');
  return value;
}
