import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { ActiveCompanies, COMPANY_RESULT } from './active-company.js';
import { ACCOUNT_PORTAL_CLIENT_ID } from './client-metadata.js';
import { translateOutage } from './store-errors.js';

/** The interaction prompt that asks a signed-in user which company to act in. */
export const COMPANY_PROMPT = 'company';

/** `login_hint=tenant:<slug>` names a company as the `tenant` parameter does. */
const TENANT_HINT_PREFIX = 'tenant:';

export interface CompanyPromptDependencies {
  companies: ActiveCompanies;
  /** The companies an account is a member of. */
  companiesOf(accountId: string): Promise<Array<{ id: string; slug: string }>>;
}

/** The company slug a request names (`tenant` parameter, else a `tenant:` login hint), if any. */
export function requestedCompanySlug(params: Record<string, unknown>): string | undefined {
  const { tenant, login_hint: hint } = params;
  if (typeof tenant === 'string' && tenant) return tenant;
  if (typeof hint === 'string' && hint.startsWith(TENANT_HINT_PREFIX)) return hint.slice(TENANT_HINT_PREFIX.length);
  return undefined;
}

/**
 * oidc-provider's default prompts (login, consent) with the company prompt between them. A fresh sign-in chooses
 * its company as its last step; this prompt covers a browser that is already signed in: its session acts in no
 * company yet (signed in through the account pages) or the request names another company. Consent comes after,
 * because what it lists depends on the user's roles in the company.
 */
export function interactionPolicyWithCompany(deps: CompanyPromptDependencies) {
  const { Prompt, Check, base } = interactionPolicy;
  const policy = base();
  const check = new Check('company_not_chosen', 'the session acts in no company, or not in the requested one', async (ctx) =>
    (await needsCompanyChoice(ctx, deps)) ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
  );
  policy.add(new Prompt({ name: COMPANY_PROMPT, requestable: false }, check), 1);
  return policy;
}

async function needsCompanyChoice(ctx: KoaContextWithOIDC, deps: CompanyPromptDependencies): Promise<boolean> {
  const session = ctx.oidc.session;
  const accountId = session?.accountId;
  if (!session || !accountId || ctx.oidc.client?.clientId === ACCOUNT_PORTAL_CLIENT_ID) return false;
  const result = ctx.oidc.result as Record<string, unknown> | undefined;
  if (result && COMPANY_RESULT in result) return false;
  const current = await translateOutage(() => deps.companies.ofSession(session.uid));
  const requested = requestedCompanySlug(ctx.oidc.params as Record<string, unknown>);
  if (requested === undefined && current) return false;
  const memberOf = await translateOutage(() => deps.companiesOf(accountId));
  if (requested === undefined) return memberOf.length > 0;
  // A company the account is not in is asked about too: the prompt's page refuses it with access_denied.
  const target = memberOf.find((company) => company.slug === requested);
  return !target || target.id !== current;
}
