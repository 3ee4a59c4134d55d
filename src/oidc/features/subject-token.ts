import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { JwtAccessTokenVerifier, looksLikeJwt } from '../../gateway/index.js';

/** RFC 8693 §4.1 `act`: who acts for the subject now, with earlier actors nested inside. */
export interface ActorClaim {
  sub: string;
  act?: ActorClaim;
}

/** What token exchange needs to know of the user's token, whichever its format. */
export interface SubjectToken {
  accountId: string;
  /** The client the token was issued to. */
  clientId: string;
  scopes: ReadonlySet<string>;
  /** Its API, when it names exactly one. */
  audience?: string;
  /** Seconds since the epoch. */
  exp: number;
  company?: string;
  act?: ActorClaim;
  sessionUid?: string;
  sid?: string;
  expiresWithSession?: boolean;
}

/**
 * Reads a subject token this server issued: an opaque access token from the store (so a revoked one is gone), or an
 * RFC 9068 JWT verified against the published keys (valid until it expires, like everywhere else). Machine tokens,
 * sender-constrained tokens and anything not ours are invalid_grant.
 */
export function subjectTokenReader(provider: Provider, publishedKeys: () => Array<Record<string, unknown>>) {
  const jwtVerifier = new JwtAccessTokenVerifier(provider.issuer, publishedKeys);

  return async function readSubjectToken(value: string): Promise<SubjectToken> {
    return looksLikeJwt(value) ? fromJwt(value) : fromStore(value);
  };

  async function fromStore(value: string): Promise<SubjectToken> {
    const token = await provider.AccessToken.find(value);
    if (!token?.isValid || !token.accountId) throw new errors.InvalidGrant('subject_token is invalid, expired or has no user');
    if (token.isSenderConstrained()) throw new errors.InvalidGrant('a sender-constrained subject_token cannot be exchanged');
    return {
      accountId: token.accountId,
      clientId: token.clientId!,
      scopes: new Set((token.scope ?? '').split(' ').filter(Boolean)),
      audience: singleAudience(token.aud),
      exp: token.exp!,
      company: typeof token.extra?.company === 'string' ? token.extra.company : undefined,
      act: token.extra?.act as ActorClaim | undefined,
      sessionUid: token.sessionUid,
      sid: token.sid,
      expiresWithSession: token.expiresWithSession,
    };
  }

  function fromJwt(value: string): SubjectToken {
    let verified;
    try {
      // Refuses certificate-bound tokens; a DPoP-bound one verifies (the gateway checks its proof) and is refused below.
      verified = jwtVerifier.verify(value);
    } catch (error) {
      throw new errors.InvalidGrant(`subject_token is not valid: ${(error as Error).message}`);
    }
    if (verified.boundThumbprint) throw new errors.InvalidGrant('a sender-constrained subject_token cannot be exchanged');
    // A machine token's subject is its client: there is no user to act for.
    if (verified.subject === verified.clientId) throw new errors.InvalidGrant('subject_token has no user');
    const claims = JSON.parse(Buffer.from(value.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number; act?: ActorClaim };
    return {
      accountId: verified.subject,
      clientId: verified.clientId,
      scopes: new Set(verified.scopes),
      audience: verified.audiences.length === 1 ? verified.audiences[0] : undefined,
      exp: claims.exp,
      company: verified.company ?? undefined,
      act: claims.act,
    };
  }
}

function singleAudience(aud: string | string[] | undefined): string | undefined {
  if (typeof aud === 'string') return aud;
  return aud?.length === 1 ? aud[0] : undefined;
}
