import type Provider from 'oidc-provider';
import { InvalidTokenError } from './errors.js';
import { scopesOf, type VerifiedToken } from './verified-token.js';

interface StoredToken {
  isValid: boolean;
  accountId?: string;
  clientId: string;
  grantId?: string;
  scope?: string;
  aud?: string | string[];
  jkt?: string;
  'x5t#S256'?: string;
  extra?: Record<string, unknown>;
}

/**
 * Looks an opaque access token up in the artifact store through oidc-provider's own models, with the checks its
 * introspection makes (still valid, grant alive and matching). A store outage propagates as the store's own error
 * (503 upstream), never as "invalid".
 */
export class OpaqueTokenLookup {
  constructor(private readonly provider: Provider) {}

  async verify(value: string): Promise<VerifiedToken> {
    const token = ((await this.provider.AccessToken.find(value)) ?? (await this.provider.ClientCredentials.find(value))) as
      | StoredToken
      | undefined;
    if (!token?.isValid) throw new InvalidTokenError('unknown, expired or revoked');
    if (token.grantId) {
      const grant = await this.provider.Grant.find(token.grantId, { ignoreExpiration: true });
      if (!grant || grant.isExpired || grant.clientId !== token.clientId || grant.accountId !== token.accountId) {
        throw new InvalidTokenError('its grant was revoked');
      }
    }
    // Certificate-bound (mTLS) tokens cannot be checked here: the gateway holds the TLS connection.
    if (token['x5t#S256']) throw new InvalidTokenError('certificate-bound tokens are not accepted here');
    const company = token.extra?.company;
    return {
      boundThumbprint: token.jkt ?? null,
      subject: token.accountId ?? token.clientId,
      clientId: token.clientId,
      company: typeof company === 'string' ? company : null,
      scopes: scopesOf(token.scope),
      audiences: Array.isArray(token.aud) ? token.aud : token.aud ? [token.aud] : [],
    };
  }
}
