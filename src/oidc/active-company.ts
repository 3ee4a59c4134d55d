import type { OidcArtifactStore } from '../storage/ports.js';

/** Where the interaction result carries the company chosen at sign-in (a tenant id; null: no company). */
export const COMPANY_RESULT = 'tessera_company';

const SESSION_MODEL = 'SessionCompany';
const GRANT_MODEL = 'GrantCompany';

export interface ActiveCompanyLifetimes {
  session: number;
  grant: number;
}

/**
 * The company a sign-in chose, kept beside oidc-provider's own records (whose fields are fixed): per browser
 * session (its uid), and per grant, because a grant is consented to in one company and every token issued under
 * it, refreshes included, acts in that company. `null` is a sign-in with no company (an account in none).
 */
export class ActiveCompanies {
  constructor(
    private readonly store: OidcArtifactStore,
    private readonly ttl: ActiveCompanyLifetimes,
  ) {}

  /** undefined: the session has never chosen (signed in before companies were chosen at sign-in). */
  async ofSession(sessionUid: string): Promise<string | null | undefined> {
    return read(await this.store.find(SESSION_MODEL, sessionUid));
  }

  setForSession(sessionUid: string, tenantId: string | null): Promise<void> {
    return this.store.upsert(SESSION_MODEL, sessionUid, { tenantId }, this.ttl.session);
  }

  async ofGrant(grantId: string): Promise<string | null | undefined> {
    return read(await this.store.find(GRANT_MODEL, grantId));
  }

  setForGrant(grantId: string, tenantId: string | null): Promise<void> {
    return this.store.upsert(GRANT_MODEL, grantId, { tenantId }, this.ttl.grant);
  }
}

function read(stored: Record<string, unknown> | undefined): string | null | undefined {
  if (!stored) return undefined;
  return typeof stored.tenantId === 'string' ? stored.tenantId : null;
}
