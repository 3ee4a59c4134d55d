import type { Client, Grant, KoaContextWithOIDC, ResourceServer } from 'oidc-provider';
import type { EffectivePermissions } from '../permissions/index.js';
import { ActiveCompanies, COMPANY_RESULT } from './active-company.js';
import { translateOutage } from './store-errors.js';

/** What the protocol layer needs from the tenancy model: a member's effective permissions in one company. */
export type PermissionsOf = (tenantId: string, accountId: string) => Promise<EffectivePermissions>;

type ResourceServerLookup = (ctx: KoaContextWithOIDC, indicator: string, client: Client) => Promise<ResourceServer>;

interface SignInResult {
  login?: { accountId: string };
  consent?: { grantId?: string };
  /** Present when this request resumes a company choice (at sign-in or by the company prompt). */
  [COMPANY_RESULT]?: string | null;
}

function chosenCompany(result: SignInResult | undefined): { tenantId: string | null } | undefined {
  return result && COMPANY_RESULT in result ? { tenantId: result[COMPANY_RESULT] ?? null } : undefined;
}

/**
 * The company a request acts in: the one just chosen when this request resumes a company choice; else the one its grant
 * was consented in (token endpoint: codes and refreshes); else the browser session's. undefined when unknown.
 */
export async function companyOf(ctx: KoaContextWithOIDC, companies: ActiveCompanies): Promise<string | null | undefined> {
  const chosen = chosenCompany(ctx.oidc.result as SignInResult | undefined);
  if (chosen) return chosen.tenantId;
  const grant = ctx.oidc.entities.Grant as Grant | undefined;
  if (grant?.jti && ctx.oidc.route === 'token') return translateOutage(() => companies.ofGrant(grant.jti));
  const sessionUid = ctx.oidc.session?.uid;
  return sessionUid ? translateOutage(() => companies.ofSession(sessionUid)) : undefined;
}

/**
 * oidc-provider's `loadExistingGrant`, company-aware. A sign-in's chosen company is remembered for its session
 * here (the first hook that sees both the result and the session). The session's grant for the client is reused
 * only when it was consented in the session's current company; otherwise a new grant (and consent) follows, so a
 * grant, and every token under it, belongs to exactly one company.
 */
export function companyAwareGrantLoader(companies: ActiveCompanies) {
  return async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
    const result = ctx.oidc.result as SignInResult | undefined;
    const session = ctx.oidc.session!;
    const chosen = chosenCompany(result);
    if (chosen) await translateOutage(() => companies.setForSession(session.uid, chosen.tenantId));
    const justConsented = result?.consent?.grantId;
    const grantId = justConsented || session.grantIdFor(ctx.oidc.client!.clientId);
    if (!grantId) return undefined;
    const grant = await ctx.oidc.provider.Grant.find(grantId);
    if (!grant || justConsented) return grant;
    const [sessionCompany, grantCompany] = await translateOutage(() =>
      Promise.all([companies.ofSession(session.uid), companies.ofGrant(grantId)]),
    );
    return (sessionCompany ?? null) === (grantCompany ?? null) ? grant : undefined;
  };
}

/**
 * Wraps `getResourceServerInfo` so the scopes a user's token may carry for an API are: what the API understands,
 * narrowed to what the client may ask (the wrapped lookup), narrowed to what the user's roles grant in the active
 * company. It runs at every token issue (code exchange and refresh), so a role change takes effect at the next
 * token. Machine tokens (no user) keep the client's scopes; a user with no active company gets no API scope.
 */
export function narrowedToRoles(lookup: ResourceServerLookup, companies: ActiveCompanies, permissionsOf: PermissionsOf) {
  return async function getResourceServerInfo(ctx: KoaContextWithOIDC, indicator: string, client: Client): Promise<ResourceServer> {
    const info = await lookup(ctx, indicator, client);
    // On the resume after sign-in the session knows the account before oidc-provider loads it as an entity.
    const accountId = ctx.oidc.account?.accountId ?? ctx.oidc.session?.accountId;
    if (!accountId) return info;
    const company = await companyOf(ctx, companies);
    const scopes = typeof info.scope === 'string' ? info.scope.split(' ').filter(Boolean) : [];
    if (!company) return { ...info, scope: '' };
    const permissions = await translateOutage(() => permissionsOf(company, accountId));
    // A token carries the scopes held on every resource; a scope held on named resources only is still asked for
    // and consented to, so its resources can reach the token as authorization_details (authorization-details.ts).
    const allowed = ctx.oidc.route === 'token' ? permissions.allowedScopes(scopes) : permissions.heldScopes(scopes);
    return { ...info, scope: allowed.join(' ') };
  };
}

/**
 * The `company` claim of a user's access token: the company its grant was consented in. Machine tokens and grants
 * without a company give undefined (the caller may fall back).
 */
export async function activeCompanyOfToken(
  token: { accountId?: string; grantId?: string },
  companies: ActiveCompanies,
): Promise<string | undefined> {
  if (!token.accountId || !token.grantId) return undefined;
  const grantId = token.grantId;
  return (await translateOutage(() => companies.ofGrant(grantId))) ?? undefined;
}
