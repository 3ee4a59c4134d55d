import type { AuditRecorder, RequestMeta } from '../audit/index.js';
import type {
  AccountDeletionRecord,
  AccountDeletionRepository,
  AccountRecord,
  AccountRepository,
  GroupRepository,
  MembershipRepository,
} from '../storage/ports.js';

/** Stands in for the password hash of a purged account: no Argon2id encoding, so no password ever verifies. */
export const PURGED_PASSWORD_HASH = '!purged';
/** How long one purger holds a claimed account before another instance may retry it. */
const CLAIM_LEASE_SECONDS = 5 * 60;
const CLAIM_BATCH = 50;

/** The email a purged account keeps: unique per account (the unique index holds), in the reserved .invalid domain. */
export function tombstoneEmail(accountId: string): string {
  return `deleted-${accountId}@purged.invalid`;
}

export interface AccountDeletionDependencies {
  accounts: AccountRepository;
  deletions: AccountDeletionRepository;
  memberships: MembershipRepository;
  groups: GroupRepository;
  /** Ends every session, grant and token of the account (as disabling it does). */
  revokeAllAccess(accountId: string): Promise<void>;
  audit: AuditRecorder;
  /** Seconds between the request and the purge. */
  retentionSeconds: number;
  now?: () => Date;
}

export interface DeletionRequestContext extends Partial<RequestMeta> {
  /** Who asked: the account itself (self-service) or an admin; absent for the CLI. */
  actor?: string;
  /** The company an admin acted in: the event goes to its trail; otherwise to the platform's. */
  tenantId?: string;
}

/**
 * Account deletion (GDPR erasure): the request disables the account and ends all its access at once; after the
 * retention window the purge removes its personal data (name, email, password hash, second factor, memberships,
 * group memberships). The audit trail is never edited: its events name the account by id only, and the chain
 * stays verifiable.
 */
export class AccountDeletion {
  private readonly now: () => Date;

  constructor(private readonly deps: AccountDeletionDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Idempotent: asking again keeps the first schedule (the window is not pushed back) and records no second event,
   * but makes sure again that the account is disabled and its access ended (the first request may have crashed).
   */
  async request(account: AccountRecord, context: DeletionRequestContext = {}): Promise<AccountDeletionRecord> {
    const existing = await this.deps.deletions.find(account.id);
    const requestedAt = this.now();
    if (!account.disabled) await this.deps.accounts.update({ ...account, disabled: true, updatedAt: requestedAt });
    const deletion =
      existing ??
      (await this.deps.deletions.schedule({
        accountId: account.id,
        requestedAt,
        purgeAfter: new Date(requestedAt.getTime() + this.deps.retentionSeconds * 1000),
        purgedAt: null,
      }));
    await this.deps.revokeAllAccess(account.id);
    if (existing) return existing;
    const { actor, tenantId, ...meta } = context;
    await this.deps.audit.record({
      type: 'account.deletion_requested',
      subject: account.id,
      actor,
      tenantId,
      ...meta,
      details: { purgeAfter: deletion.purgeAfter.toISOString() },
    });
    return deletion;
  }

  /** The schedule, when the account's deletion was requested (a scheduled account must not be re-enabled). */
  scheduleOf(accountId: string): Promise<AccountDeletionRecord | null> {
    return this.deps.deletions.find(accountId);
  }

  /**
   * Purges every account whose window has passed. Safe beside other instances: each account is claimed through
   * the store first, and purging is idempotent anyway (a second run over a purged account changes nothing).
   */
  async purgeDue(): Promise<string[]> {
    const purged: string[] = [];
    for (;;) {
      const claimed = await this.deps.deletions.claimDue(this.now(), CLAIM_LEASE_SECONDS, CLAIM_BATCH);
      if (claimed.length === 0) return purged;
      for (const accountId of claimed) {
        await this.purge(accountId);
        purged.push(accountId);
      }
    }
  }

  private async purge(accountId: string): Promise<void> {
    const account = await this.deps.accounts.findById(accountId);
    if (account) {
      await this.deps.accounts.update({
        ...account,
        email: tombstoneEmail(accountId),
        name: null,
        passwordHash: PURGED_PASSWORD_HASH,
        mfa: null,
        disabled: true,
        updatedAt: this.now(),
      });
    }
    for (const membership of await this.deps.memberships.listForAccount(accountId)) {
      for (const group of await this.deps.groups.listForAccount(membership.tenantId, accountId)) {
        await this.deps.groups.removeMember(membership.tenantId, group.id, accountId);
      }
      await this.deps.memberships.remove(membership.tenantId, accountId);
    }
    // Anything that outlived the request (a grant written in the same instant) ends with the data.
    await this.deps.revokeAllAccess(accountId);
    await this.deps.deletions.markPurged(accountId, this.now());
    await this.deps.audit.record({ type: 'account.purged', subject: accountId, actor: 'system' });
  }
}

/** Runs the purge every `intervalSeconds` in the server process; failures are reported and retried next time. */
export function schedulePurge(deletion: AccountDeletion, intervalSeconds: number, onError: (error: unknown) => void) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deletion
      .purgeDue()
      .catch(onError)
      .finally(() => (running = false));
  }, intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
