import type Provider from 'oidc-provider';
import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import type { AuditEvent, BackgroundAuditRecorder } from '../audit/index.js';
import type { ActiveCompanies } from './active-company.js';
import { COMPANY_CLAIM } from './token-claims.js';

interface IssuedToken {
  accountId?: string;
  grantId?: string;
  clientId?: string;
  scope?: string;
  /** The extra claims extraTokenClaims gave the token (token-claims.ts): the company it acts in, when it has one. */
  extra?: Record<string, unknown>;
}

/**
 * Token issue, refresh and grant revocation in the audit trail, in the chain of the company the token or grant acts
 * in (a company's machine tokens included; platform clients' tokens and company-less grants go to the platform
 * chain). Who, for which client, which grant type and scopes: never a token value. oidc-provider's events cannot
 * wait, so the event is stored after the response (recordLater) and a failed write is reported, not thrown.
 */
export function auditTokenEvents(
  provider: Provider,
  audit: BackgroundAuditRecorder,
  companies: ActiveCompanies,
  onError: (error: unknown) => void,
): void {
  const record = (
    ctx: KoaContextWithOIDC,
    event: Omit<AuditEvent, 'tenantId' | 'ip' | 'userAgent'>,
    grantId: string | undefined,
    claimedCompany?: string,
  ) => {
    const write = (tenantId: string | undefined) =>
      audit.recordLater({ ...event, tenantId, ip: ctx.ip, userAgent: ctx.get('user-agent') || undefined }, onError);
    // The company lookup only when neither the token nor its absence of a grant settles it: most tokens need none.
    // Nothing may escape into oidc-provider's event emitter, which would fail the request the event is about.
    try {
      if (claimedCompany !== undefined || !grantId) write(claimedCompany);
      else companies.ofGrant(grantId).then((company) => write(company ?? undefined)).catch(onError);
    } catch (error) {
      onError(error);
    }
  };

  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = String(ctx.oidc.params?.grant_type ?? 'unknown');
    const token = (ctx.oidc.entities.AccessToken ?? ctx.oidc.entities.ClientCredentials) as IssuedToken | undefined;
    const grant = ctx.oidc.entities.Grant as Grant | undefined;
    const clientId = ctx.oidc.client?.clientId;
    record(
      ctx,
      {
        type: grantType === 'refresh_token' ? 'token.refreshed' : 'token.issued',
        subject: token?.accountId,
        actor: clientId,
        resource: clientId ? `client:${clientId}` : undefined,
        details: { grantType, scope: token?.scope ?? '' },
      },
      grant?.jti,
      // The company the token itself names: no second lookup, and a company's machine tokens land in its chain.
      typeof token?.extra?.[COMPANY_CLAIM] === 'string' ? token.extra[COMPANY_CLAIM] : undefined,
    );
  });

  // A whole grant revoked: a refresh token revoked at /revocation, a logout, or a reused code or refresh token. At the
  // token endpoint oidc-provider revokes a grant only for the last: a code, device code or rotated refresh token
  // presented a second time, which is a replay and is recorded as such.
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    const clientId = ctx.oidc.client?.clientId;
    const entities = ctx.oidc.entities as Record<string, { accountId?: string } | undefined>;
    const route = String(ctx.oidc.route ?? 'unknown');
    const reused = route === 'token';
    record(
      ctx,
      {
        type: reused ? 'token.reuse_detected' : 'token.revoked',
        subject: (entities.RefreshToken ?? entities.AuthorizationCode ?? entities.DeviceCode ?? entities.AccessToken ?? entities.Account)?.accountId,
        actor: clientId,
        resource: `grant:${grantId}`,
        details: reused ? { route, grantType: String(ctx.oidc.params?.grant_type ?? 'unknown') } : { route },
      },
      grantId,
    );
  });
}
