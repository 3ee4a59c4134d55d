/** What a valid access token says about its bearer, whatever its format. */
export interface VerifiedToken {
  /** The user, or the client itself for a machine token. */
  subject: string;
  clientId: string;
  company: string | null;
  scopes: string[];
  audiences: string[];
}

/** RFC 6750 §2.1: `Authorization: Bearer <token68>`. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function bearerTokenOf(authorization: string | undefined): string | null {
  return authorization ? (BEARER.exec(authorization)?.[1] ?? null) : null;
}

/** A JWS compact serialization (three base64url parts); anything else is treated as an opaque token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

export function scopesOf(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}
