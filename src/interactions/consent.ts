import type Provider from 'oidc-provider';
import { RESOURCE_PERMISSIONS_MARKER, type ActiveCompanies } from '../oidc/index.js';
import type { InteractionDetails } from './interaction-loader.js';
import { describeOidcScope, describeResourceScope } from './scope-descriptions.js';

interface PromptDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

/**
 * Records the user's consent to everything the consent prompt listed (the API scopes in it are already narrowed to
 * what the user's roles grant in the active company); returns the grant id. The grant belongs to the session's
 * active company, and so will every token issued under it.
 *
 * A grant's company never changes (ActiveCompanies remembers it on that promise). The interaction's grant was
 * consented in the session's company when the interaction began; should the session have switched company since
 * (another tab), this consent starts a new grant in the new company instead of moving the old one and every token
 * under it. The new grant holds only what this prompt listed, so oidc-provider asks for the rest next.
 */
export async function saveConsent(provider: Provider, details: InteractionDetails, companies: ActiveCompanies): Promise<string> {
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id);
  const sessionUid = details.session?.uid;
  const company = sessionUid ? ((await companies.ofSession(sessionUid)) ?? null) : null;
  const earlierGrant = details.grantId;
  const inSameCompany = earlierGrant ? ((await companies.ofGrant(earlierGrant)) ?? null) === company : false;
  const grant =
    earlierGrant && inSameCompany ? await provider.Grant.find(earlierGrant) : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error('grant vanished during consent');
  const prompt = details.prompt.details as PromptDetails;
  if (prompt.missingOIDCScope?.length) grant.addOIDCScope(prompt.missingOIDCScope.join(' '));
  if (prompt.missingOIDCClaims?.length) grant.addOIDCClaims(prompt.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  // Tokens under this grant carry the user's permissions on named resources (oidc/authorization-details.ts).
  if (!grant.rar?.some((detail) => detail.type === RESOURCE_PERMISSIONS_MARKER.type)) grant.addRar(RESOURCE_PERMISSIONS_MARKER);
  const grantId = await grant.save();
  await companies.setForGrant(grantId, company);
  return grantId;
}

/** What the user allowed, as one space-separated list (API scopes prefixed with their resource), for the audit trail. */
export function consentedScopes(details: InteractionDetails): string {
  const prompt = details.prompt.details as PromptDetails;
  const apiScopes = Object.entries(prompt.missingResourceScopes ?? {}).flatMap(([indicator, scopes]) =>
    scopes.map((scope) => `${indicator}#${scope}`),
  );
  return [...(prompt.missingOIDCScope ?? []), ...apiScopes].join(' ');
}

/** The consent page's sections: "Your account" for OpenID scopes, then one per API. */
export function consentSections(details: InteractionDetails) {
  const prompt = details.prompt.details as PromptDetails;
  const sections = [];
  if (prompt.missingOIDCScope?.length) {
    sections.push({
      title: 'Your account',
      scopes: prompt.missingOIDCScope.map((name) => ({ name, description: describeOidcScope(name) })),
    });
  }
  for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {})) {
    sections.push({
      title: indicator,
      scopes: scopes.map((name) => ({ name, description: describeResourceScope(name, indicator) })),
    });
  }
  return sections;
}
