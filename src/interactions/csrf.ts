import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the interaction forms: an HMAC of the interaction's uid under a server key. The uid is random,
 * lives only in the path-scoped interaction cookie and URL, and expires with the interaction, so a token is
 * useless for any other sign-in and unforgeable without the key.
 */
export class CsrfTokens {
  constructor(private readonly key: string) {}

  issue(interactionUid: string): string {
    return createHmac('sha256', this.key).update(`csrf:${interactionUid}`).digest('base64url');
  }

  verify(interactionUid: string, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.issue(interactionUid));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
