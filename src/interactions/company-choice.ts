import { ACCOUNT_PORTAL_CLIENT_ID, requestedCompanySlug } from '../oidc/index.js';
import type { TenantRecord } from '../storage/ports.js';
import type { InteractionDetails } from './interaction-loader.js';

export type CompanyChoice =
  | { outcome: 'chosen'; company: TenantRecord | null }
  | { outcome: 'ask'; companies: TenantRecord[] }
  | { outcome: 'refused' };

/** The company slug the client asked for (`tenant` parameter, else a `tenant:` login hint), if any. */
export function requestedCompany(details: InteractionDetails): string | undefined {
  return requestedCompanySlug(details.params);
}

/**
 * Which company a sign-in acts in. A requested company is honoured only if the account is a member of it;
 * otherwise the sign-in is refused (never silently moved to another company). Without a request: the only
 * company, a question when there are several, and no company for an account in none.
 */
export function chooseCompany(memberOf: TenantRecord[], requested: string | undefined): CompanyChoice {
  if (requested !== undefined) {
    const company = memberOf.find((tenant) => tenant.slug === requested);
    return company ? { outcome: 'chosen', company } : { outcome: 'refused' };
  }
  if (memberOf.length > 1) return { outcome: 'ask', companies: memberOf };
  return { outcome: 'chosen', company: memberOf[0] ?? null };
}

/**
 * The company a sign-in will act in, when it is known before the company step: the same decision as that step's
 * (the account pages act in none), known only when it needs no question. Its sign-in events go to that trail.
 */
export function companyOfSignIn(
  memberOf: TenantRecord[],
  { clientId, requestedCompany }: { clientId?: string; requestedCompany?: string },
): string | undefined {
  if (clientId === ACCOUNT_PORTAL_CLIENT_ID) return undefined;
  const choice = chooseCompany(memberOf, requestedCompany);
  return choice.outcome === 'chosen' ? choice.company?.id : undefined;
}
