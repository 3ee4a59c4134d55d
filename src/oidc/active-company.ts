import { BoundedMap } from '../shared/bounded-map.js';
import type { OidcArtifactStore } from '../storage/ports.js';

/** Where the interaction result carries the company chosen at sign-in (a tenant id; null: no company). */
export const COMPANY_RESULT = 'tessera_company';

const SESSION_MODEL = 'SessionCompany';
const GRANT_MODEL = 'GrantCompany';

/** Grants whose company this process remembers: the grants of the users active in the last moments, at most. */
const REMEMBERED_GRANTS = 10_000;

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
  /**
   * A grant's company is set once, when it is first consented, and never changes (saveConsent starts a new grant
   * rather than move one), so every instance may keep what it has read: a refresh or code exchange then asks the
   * store for its grant's company once per process instead of once per token.
   */
  private readonly grantCompanies = new BoundedMap<string, string | null>(REMEMBERED_GRANTS);

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
    const remembered = this.grantCompanies.get(grantId);
    if (remembered !== undefined) return remembered;
    const company = read(await this.store.find(GRANT_MODEL, grantId));
    if (company !== undefined) this.grantCompanies.set(grantId, company);
    return company;
  }

  async setForGrant(grantId: string, tenantId: string | null): Promise<void> {
    await this.store.upsert(GRANT_MODEL, grantId, { tenantId }, this.ttl.grant);
    this.grantCompanies.set(grantId, tenantId);
  }
}

function read(stored: Record<string, unknown> | undefined): string | null | undefined {
  if (!stored) return undefined;
  return typeof stored.tenantId === 'string' ? stored.tenantId : null;
}
