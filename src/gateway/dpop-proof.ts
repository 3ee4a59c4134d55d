import { constants, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeJsonPart } from './verified-token.js';

/** A DPoP proof that does not prove possession for this request: 401 `invalid_dpop_proof` (RFC 9449 §7.1). */
export class InvalidDpopProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDpopProofError';
  }
}

/** The proof algorithms accepted, with what node:crypto needs to check each. */
const PROOF_ALGORITHMS: Record<string, (key: KeyObject) => { hash: string | null; key: Parameters<typeof verify>[2] }> = {
  ES256: (key) => ({ hash: 'sha256', key: { key, dsaEncoding: 'ieee-p1363' } }),
  ES384: (key) => ({ hash: 'sha384', key: { key, dsaEncoding: 'ieee-p1363' } }),
  RS256: (key) => ({ hash: 'sha256', key }),
  PS256: (key) => ({ hash: 'sha256', key: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } }),
  EdDSA: (key) => ({ hash: null, key }),
};

export const DPOP_ALGORITHMS = Object.keys(PROOF_ALGORITHMS);

/** How old a proof may be, and how far in the future its clock may run. */
const MAX_AGE_SECONDS = 60;
const CLOCK_SKEW_SECONDS = 5;

export interface DpopRequest {
  proof: string;
  accessToken: string;
  /** The thumbprint the token is bound to (cnf.jkt). */
  boundThumbprint: string;
  /** The request the gateway forwards, as the client sent it. */
  method: string;
  url: string;
  nowSeconds: number;
}

/**
 * Checks an RFC 9449 proof (§4.3) for a request a gateway forwards: a `dpop+jwt` signed by the public key in its
 * header, that key being the one the token is bound to, for this method and URL (query and fragment ignored),
 * for this token (`ath`), and recent. Returns the proof's `jti`, which the caller must see only once.
 */
export function verifyDpopProof(request: DpopRequest): string {
  const parts = request.proof.split('.');
  if (parts.length !== 3) throw new InvalidDpopProofError('malformed proof');
  const [encodedHeader, encodedPayload, signature] = parts as [string, string, string];
  const header = parseJson(encodedHeader);
  const payload = parseJson(encodedPayload);
  if (header.typ !== 'dpop+jwt') throw new InvalidDpopProofError('typ must be dpop+jwt');
  const algorithm = typeof header.alg === 'string' && Object.hasOwn(PROOF_ALGORITHMS, header.alg) ? PROOF_ALGORITHMS[header.alg]! : undefined;
  if (!algorithm) throw new InvalidDpopProofError('unsupported proof algorithm');
  const jwk = header.jwk as Record<string, unknown> | undefined;
  if (!jwk || typeof jwk !== 'object' || 'd' in jwk) throw new InvalidDpopProofError('the proof must carry a public jwk');
  if (jwkThumbprint(jwk) !== request.boundThumbprint) throw new InvalidDpopProofError('the proof key is not the one the token is bound to');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk as never, format: 'jwk' });
  } catch {
    throw new InvalidDpopProofError('unusable proof key');
  }
  const check = algorithm(key);
  let valid = false;
  try {
    valid = verify(check.hash, Buffer.from(`${encodedHeader}.${encodedPayload}`), check.key, Buffer.from(signature, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) throw new InvalidDpopProofError('bad proof signature');

  if (typeof payload.jti !== 'string' || !payload.jti || payload.jti.length > 256) throw new InvalidDpopProofError('missing jti');
  if (payload.htm !== request.method) throw new InvalidDpopProofError('htm does not match the request method');
  const expectedUrl = withoutQuery(request.url);
  if (typeof payload.htu !== 'string' || expectedUrl === undefined || withoutQuery(payload.htu) !== expectedUrl) {
    throw new InvalidDpopProofError('htu does not match the request URL');
  }
  if (typeof payload.iat !== 'number' || payload.iat < request.nowSeconds - MAX_AGE_SECONDS || payload.iat > request.nowSeconds + CLOCK_SKEW_SECONDS) {
    throw new InvalidDpopProofError('the proof is too old or from the future');
  }
  if (payload.ath !== createHash('sha256').update(request.accessToken).digest('base64url')) {
    throw new InvalidDpopProofError('ath does not match the access token');
  }
  return payload.jti;
}

/** How long a proof's jti must be remembered to refuse its replay. */
export const DPOP_REPLAY_WINDOW_SECONDS = MAX_AGE_SECONDS + CLOCK_SKEW_SECONDS;

/** RFC 7638: SHA-256 over the required members, in lexical order, without white space. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  const members =
    jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : jwk.kty === 'OKP' ? ['crv', 'kty', 'x'] : null;
  if (!members || members.some((member) => typeof jwk[member] !== 'string')) throw new InvalidDpopProofError('unsupported proof key');
  return createHash('sha256')
    .update(JSON.stringify(Object.fromEntries(members.map((member) => [member, jwk[member]]))))
    .digest('base64url');
}

/** RFC 9449 §4.3: compared without query and fragment; scheme and host are case-insensitive (URL normalizes). */
function withoutQuery(value: string): string | undefined {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return undefined;
  }
}

function parseJson(part: string): Record<string, any> {
  const value = decodeJsonPart(part);
  if (!value) throw new InvalidDpopProofError('malformed proof');
  return value;
}
