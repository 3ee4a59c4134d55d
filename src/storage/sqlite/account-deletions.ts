import type { DatabaseSync } from 'node:sqlite';
import type { AccountDeletionRecord, AccountDeletionRepository } from '../ports.js';
import { key } from './directory.js';

type Row = Record<string, string | number | null>;

/** The account deletion schedule in the embedded SQLite file. */
export class SqliteAccountDeletionRepository implements AccountDeletionRepository {
  constructor(private readonly db: DatabaseSync) {}

  async schedule(deletion: AccountDeletionRecord): Promise<AccountDeletionRecord> {
    this.db
      .prepare(
        `INSERT INTO account_deletions (account_id, requested_at, purge_after, purged_at) VALUES (?, ?, ?, NULL)
         ON CONFLICT (account_id) DO NOTHING`,
      )
      .run(deletion.accountId, deletion.requestedAt.getTime(), deletion.purgeAfter.getTime());
    return (await this.find(deletion.accountId))!;
  }

  async find(accountId: string): Promise<AccountDeletionRecord | null> {
    const row = this.db.prepare('SELECT * FROM account_deletions WHERE account_id = ?').get(key(accountId)) as Row | undefined;
    return row ? toDeletion(row) : null;
  }

  /** One UPDATE … RETURNING: SQLite runs it alone, so two instances sharing the file never claim the same rows. */
  async claimDue(now: Date, leaseSeconds: number, limit: number): Promise<string[]> {
    const at = now.getTime();
    const rows = this.db
      .prepare(
        `UPDATE account_deletions SET claimed_until = ?
         WHERE account_id IN (
           SELECT account_id FROM account_deletions
           WHERE purged_at IS NULL AND purge_after <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
           ORDER BY purge_after LIMIT ?)
         RETURNING account_id`,
      )
      .all(at + leaseSeconds * 1000, at, at, limit) as Array<{ account_id: string }>;
    return rows.map((row) => row.account_id);
  }

  async markPurged(accountId: string, purgedAt: Date): Promise<void> {
    this.db
      .prepare('UPDATE account_deletions SET purged_at = ?, claimed_until = NULL WHERE account_id = ?')
      .run(purgedAt.getTime(), key(accountId));
  }
}

function toDeletion(row: Row): AccountDeletionRecord {
  return {
    accountId: String(row.account_id),
    requestedAt: new Date(Number(row.requested_at)),
    purgeAfter: new Date(Number(row.purge_after)),
    purgedAt: row.purged_at === null ? null : new Date(Number(row.purged_at)),
  };
}
