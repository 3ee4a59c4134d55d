import type Provider from 'oidc-provider';
import { InsufficientScopeError, InvalidTokenError, MissingTokenError } from '../gateway/errors.js';
import { JwtAccessTokenVerifier } from '../gateway/jwt-verifier.js';
import { OpaqueTokenLookup } from '../gateway/opaque-tokens.js';
import { credentialsOf, looksLikeJwt, type VerifiedToken } from '../gateway/verified-token.js';
import type { ClientRepository } from '../storage/ports.js';
import { ADMIN_PLATFORM, ADMIN_READ, ADMIN_WRITE, type AdminScope, type CompanyCaller, type PlatformCaller } from './admin-route.js';
import { AdminProblem } from './problem.js';

export interface AdminAuthorizationOptions {
  issuer: string;
  provider: Provider;
  publishedKeys: () => Array<Record<string, unknown>>;
  clients: ClientRepository;
  /** The admin API's resource indicator: tokens must be issued for it (their audience). */
  audience: string;
  /** Whether the account is still an enabled member of the company (a JWT outlives a removal by its lifetime). */
  isActiveMember(companyId: string, accountId: string): Promise<boolean>;
}

/**
 * Who may call the admin API: bearers of Tessera's own access tokens for the admin resource server, verified as the
 * gateway verifies them (a JWT against the published keys, an opaque token in the store). The company is the
 * token's `company` claim, never anything in the request. `admin:write` includes reading. The platform operator is a
 * machine token of a platform client (one owned by no company) holding `admin:platform`: a company's client or a
 * user's role cannot become one, because both carry a company.
 */
export class AdminAuthorization {
  private readonly jwt: JwtAccessTokenVerifier;
  private readonly opaque: OpaqueTokenLookup;

  constructor(private readonly options: AdminAuthorizationOptions) {
    this.jwt = new JwtAccessTokenVerifier(options.issuer, options.publishedKeys);
    this.opaque = new OpaqueTokenLookup(options.provider);
  }

  async callerFor(authorization: string | undefined, scope: AdminScope): Promise<CompanyCaller | PlatformCaller> {
    const token = await this.verify(authorization);
    if (scope === ADMIN_PLATFORM) return this.platformCaller(token);
    const allowed = scope === ADMIN_READ ? [ADMIN_READ, ADMIN_WRITE] : [ADMIN_WRITE];
    if (!allowed.some((held) => token.scopes.includes(held))) throw new InsufficientScopeError([scope]);
    if (!token.company) {
      throw new AdminProblem(403, 'Forbidden', 'the access token names no company (sign in to one company, or use a company client)');
    }
    await this.checkStillEntitled(token, token.company);
    return { kind: 'company', companyId: token.company, actor: token.subject, clientId: token.clientId };
  }

  /**
   * A JWT cannot be recalled, so what it says is checked against the store once more: a machine token's client
   * still exists in the company, a user's token's account is still an enabled member of it.
   */
  private async checkStillEntitled(token: VerifiedToken, companyId: string): Promise<void> {
    if (token.subject === token.clientId) {
      const client = await this.options.clients.find(token.clientId);
      if (!client || client.tenantId !== companyId) throw new InvalidTokenError('its client was removed');
    } else if (!(await this.options.isActiveMember(companyId, token.subject))) {
      throw new InvalidTokenError('its account is no longer an enabled member of the company');
    }
  }

  private async verify(authorization: string | undefined): Promise<VerifiedToken> {
    const credentials = credentialsOf(authorization);
    if (!credentials) throw new MissingTokenError();
    // A sender-constrained token needs its proof checked for this request; the admin API takes bearer tokens only.
    if (credentials.scheme !== 'Bearer') throw new InvalidTokenError('only Bearer tokens are accepted here');
    const token = looksLikeJwt(credentials.token) ? this.jwt.verify(credentials.token) : await this.opaque.verify(credentials.token);
    if (token.boundThumbprint) throw new InvalidTokenError('DPoP-bound tokens are not accepted here');
    if (!token.audiences.includes(this.options.audience)) throw new InvalidTokenError('the token is not for the admin API');
    return token;
  }

  private async platformCaller(token: VerifiedToken): Promise<PlatformCaller> {
    if (!token.scopes.includes(ADMIN_PLATFORM)) throw new InsufficientScopeError([ADMIN_PLATFORM]);
    const machineToken = token.subject === token.clientId && token.company === null;
    const client = machineToken ? await this.options.clients.find(token.clientId) : null;
    if (!client || client.tenantId !== null) {
      throw new AdminProblem(403, 'Forbidden', 'only a platform client acts as the platform operator');
    }
    return { kind: 'platform', actor: token.subject, clientId: token.clientId };
  }
}
