import { PLATFORM_CHAIN } from '../audit/index.js';
import type { SessionService, SessionView } from '../sessions/index.js';
import type {
  AccountRecord,
  AuditQuery,
  AuditRecord,
  GroupRepository,
  MembershipRepository,
  TenantRepository,
} from '../storage/ports.js';

/** One page of the audit trail, newest first (AuditTrail.query). */
type AuditReader = (query: AuditQuery) => Promise<AuditRecord[]>;

export interface PersonalDataExportDependencies {
  memberships: MembershipRepository;
  tenants: TenantRepository;
  groups: GroupRepository;
  sessions: SessionService;
  audit: AuditReader;
}

const AUDIT_PAGE = 500;

/**
 * The GDPR access right (Art. 15): everything Tessera holds about an account, as JSON. Profile, companies with
 * roles and groups, live sessions, whether a second factor is on, and the audit events about the account in
 * every trail it appears in. Never a password hash, TOTP secret or recovery code hash: the MFA part is a status.
 */
export class PersonalDataExport {
  constructor(private readonly deps: PersonalDataExportDependencies) {}

  async of(account: AccountRecord, now: Date = new Date()) {
    const memberships = await this.deps.memberships.listForAccount(account.id);
    const companies = await Promise.all(
      memberships.map(async (membership) => {
        const company = await this.deps.tenants.findById(membership.tenantId);
        const groups = await this.deps.groups.listForAccount(membership.tenantId, account.id);
        return {
          id: membership.tenantId,
          slug: company?.slug ?? null,
          name: company?.name ?? null,
          memberSince: membership.createdAt.toISOString(),
          roles: membership.roles,
          groups: groups.map((group) => ({ name: group.name, roles: group.roleNames })),
        };
      }),
    );
    const chains = [PLATFORM_CHAIN, ...memberships.map((membership) => membership.tenantId)];
    const auditEvents = (await Promise.all(chains.map((chain) => this.eventsAbout(account.id, chain)))).flat();
    return {
      exportedAt: now.toISOString(),
      profile: {
        id: account.id,
        email: account.email,
        name: account.name,
        disabled: account.disabled,
        createdAt: account.createdAt.toISOString(),
        updatedAt: account.updatedAt.toISOString(),
      },
      mfa: account.mfa
        ? { enrolled: true, enrolledAt: account.mfa.enrolledAt.toISOString(), recoveryCodesLeft: account.mfa.recoveryCodeHashes.length }
        : { enrolled: false },
      companies,
      sessions: (await this.deps.sessions.list(account.id)).map(({ current: _current, ...session }: SessionView) => session),
      auditEvents: auditEvents.map(({ chain, seq, at, type, actor, resource, ip, userAgent, details }) => ({
        trail: chain,
        seq,
        at: at.toISOString(),
        type,
        actor,
        resource,
        ip,
        userAgent,
        details,
      })),
    };
  }

  /** Every event whose subject is the account, in one trail, oldest first. */
  private async eventsAbout(accountId: string, chain: string): Promise<AuditRecord[]> {
    const events: AuditRecord[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const page = await this.deps.audit({ chain, subject: accountId, beforeSeq, limit: AUDIT_PAGE });
      events.push(...page);
      if (page.length < AUDIT_PAGE) return events.reverse();
      beforeSeq = page[page.length - 1]!.seq;
    }
  }
}
