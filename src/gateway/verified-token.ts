/** What a valid access token says about its bearer, whatever its format. */
export interface VerifiedToken {
  /** The user, or the client itself for a machine token. */
  subject: string;
  clientId: string;
  company: string | null;
  scopes: string[];
  audiences: string[];
  /** RFC 9449 `cnf.jkt`: the token is DPoP-bound to this key and useless without a proof by it. */
  boundThumbprint: string | null;
}

export interface Credentials {
  scheme: 'Bearer' | 'DPoP';
  token: string;
}

/** RFC 6750 §2.1 `Authorization: Bearer <token68>`, and RFC 9449 §7.1 `Authorization: DPoP <token68>`. */
const CREDENTIALS = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function credentialsOf(authorization: string | undefined): Credentials | null {
  const match = authorization ? CREDENTIALS.exec(authorization) : null;
  if (!match) return null;
  return { scheme: match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: match[2]! };
}

/** One base64url part of a JWS as a JSON object; undefined when it is not one. */
export function decodeJsonPart(part: string): Record<string, any> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, any>;
  } catch {
    // not JSON
  }
  return undefined;
}

/** A JWS compact serialization (three base64url parts); anything else is treated as an opaque token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

export function scopesOf(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}
