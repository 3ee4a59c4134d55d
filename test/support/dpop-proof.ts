import { createHash, generateKeyPairSync, KeyObject, randomUUID, sign, type webcrypto } from 'node:crypto';

/**
 * A hand-made RFC 9449 DPoP proof, for the requests a client library refuses to send (a replayed proof). ES256 over
 * a P-256 key, with the public key in the header.
 */
export class DpopKey {
  private readonly privateKey: KeyObject;
  readonly publicJwk: Record<string, string>;

  /** A new key, or (to sign for a key openid-client holds) an existing WebCrypto pair. */
  constructor(pair: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('ec', { namedCurve: 'P-256' })) {
    this.privateKey = pair.privateKey;
    this.publicJwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
  }

  static fromCryptoKeyPair(pair: webcrypto.CryptoKeyPair): DpopKey {
    return new DpopKey({ privateKey: KeyObject.from(pair.privateKey), publicKey: KeyObject.from(pair.publicKey) });
  }

  /** RFC 7638 thumbprint: what a bound token's cnf.jkt holds. */
  thumbprint(): string {
    return ecThumbprint(this.publicJwk);
  }

  proof(method: string, url: string, accessToken?: string): string {
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: this.publicJwk };
    const payload = {
      jti: randomUUID(),
      htm: method,
      htu: url,
      iat: Math.floor(Date.now() / 1000),
      ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
    };
    const input = `${encode(header)}.${encode(payload)}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  }
}

/** RFC 7638 thumbprint of a public EC key (members in lexical order). */
export function ecThumbprint(jwk: { crv?: string; kty?: string; x?: string; y?: string }): string {
  const { crv, kty, x, y } = jwk;
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
