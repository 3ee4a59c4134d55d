import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { FailureCount, SecurityCounters } from '../ports.js';
import { inTransaction } from './database.js';

/**
 * Lockout counters, rate-limit windows and one-time claims in the embedded file. Each update is a single
 * statement (or one IMMEDIATE transaction), so concurrent requests, and the CLI in another process, never lose
 * a count. Expired rows read as absent and are swept with the artifacts.
 */
export class SqliteSecurityCounters implements SecurityCounters {
  private readonly statements: Record<string, StatementSync>;

  constructor(
    private readonly db: DatabaseSync,
    private readonly now: () => number = Date.now,
  ) {
    this.statements = {
      recordFailure: db.prepare(`
        INSERT INTO security_failures (key, count, last_failure_at, expires_at) VALUES (:key, 1, :at, :expiresAt)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN security_failures.expires_at > :now THEN security_failures.count + 1 ELSE 1 END,
          last_failure_at = :at, expires_at = :expiresAt
        RETURNING count, last_failure_at`),
      readFailures: db.prepare(
        'SELECT count, last_failure_at FROM security_failures WHERE key = :key AND expires_at > :now',
      ),
      clearFailures: db.prepare('DELETE FROM security_failures WHERE key = :key'),
      hit: db.prepare(`
        INSERT INTO security_hits (key, count, expires_at) VALUES (:key, :by, :expiresAt)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN security_hits.expires_at > :now THEN security_hits.count + :by ELSE :by END,
          expires_at = CASE WHEN security_hits.expires_at > :now THEN security_hits.expires_at ELSE :expiresAt END
        RETURNING count`),
      claim: db.prepare(`
        INSERT INTO security_claims (key, expires_at) VALUES (:key, :expiresAt)
        ON CONFLICT (key) DO UPDATE SET expires_at = :expiresAt WHERE security_claims.expires_at <= :now`),
      sweepFailures: db.prepare('DELETE FROM security_failures WHERE expires_at <= :now'),
      sweepHits: db.prepare('DELETE FROM security_hits WHERE expires_at <= :now'),
      sweepClaims: db.prepare('DELETE FROM security_claims WHERE expires_at <= :now'),
    };
  }

  async recordFailure(key: string, ttlSeconds: number, at: number): Promise<FailureCount> {
    const now = this.now();
    const row = this.statements.recordFailure!.get({ key, at, now, expiresAt: now + ttlSeconds * 1000 }) as {
      count: number;
      last_failure_at: number;
    };
    return { count: row.count, lastFailureAt: row.last_failure_at };
  }

  async readFailures(key: string): Promise<FailureCount | null> {
    const row = this.statements.readFailures!.get({ key, now: this.now() }) as
      | { count: number; last_failure_at: number }
      | undefined;
    return row ? { count: row.count, lastFailureAt: row.last_failure_at } : null;
  }

  async clearFailures(key: string): Promise<void> {
    this.statements.clearFailures!.run({ key });
  }

  async hit(key: string, windowSeconds: number, by = 1): Promise<number> {
    const now = this.now();
    const row = this.statements.hit!.get({ key, by, now, expiresAt: now + windowSeconds * 1000 }) as { count: number };
    return row.count;
  }

  async claimOnce(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.now();
    // Inserts a new claim, or takes over an expired one; a live claim makes this a no-op (0 changes).
    const { changes } = this.statements.claim!.run({ key, now, expiresAt: now + ttlSeconds * 1000 });
    return Number(changes) === 1;
  }

  sweepExpired(): void {
    const now = this.now();
    inTransaction(this.db, () => {
      for (const name of ['sweepFailures', 'sweepHits', 'sweepClaims']) this.statements[name]!.run({ now });
    });
  }
}
