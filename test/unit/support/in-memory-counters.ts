import type { FailureCount, SecurityCounters } from '../../../src/storage/ports.js';

/** A faithful in-memory SecurityCounters for unit tests, on an injectable clock. */
export class InMemoryCounters implements SecurityCounters {
  private readonly failures = new Map<string, { record: FailureCount; expiresAt: number }>();
  private readonly hits = new Map<string, { count: number; expiresAt: number }>();
  private readonly claims = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async recordFailure(key: string, ttlSeconds: number, now: number): Promise<FailureCount> {
    const current = await this.readFailures(key);
    const record = { count: (current?.count ?? 0) + 1, lastFailureAt: now };
    this.failures.set(key, { record, expiresAt: this.now() + ttlSeconds * 1000 });
    return record;
  }

  async readFailures(key: string): Promise<FailureCount | null> {
    const entry = this.failures.get(key);
    return entry && entry.expiresAt > this.now() ? { ...entry.record } : null;
  }

  async clearFailures(key: string): Promise<void> {
    this.failures.delete(key);
  }

  async hit(key: string, windowSeconds: number, by = 1): Promise<number> {
    const window = Math.floor(this.now() / (windowSeconds * 1000));
    const windowKey = `${key}:${window}`;
    const entry = this.hits.get(windowKey) ?? { count: 0, expiresAt: (window + 1) * windowSeconds * 1000 };
    entry.count += by;
    this.hits.set(windowKey, entry);
    return entry.count;
  }

  async claimOnce(key: string, ttlSeconds: number): Promise<boolean> {
    const expiresAt = this.claims.get(key);
    if (expiresAt !== undefined && expiresAt > this.now()) return false;
    this.claims.set(key, this.now() + ttlSeconds * 1000);
    return true;
  }
}
