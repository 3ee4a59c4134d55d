import { createHash } from 'node:crypto';
import type { FailureCount, SecurityCounters } from '../storage/ports.js';

/**
 * Brute-force protection, counted three ways so that no single dimension is a cheap weapon:
 * - per account and client IP: the attacker at one address is blocked after `perAccountAndIp` failures, without
 *   locking the real user (elsewhere) out;
 * - per account across all IPs, with a higher threshold: a distributed guessing run still hits a wall;
 * - per IP across accounts: credential stuffing from one address.
 * Over a threshold, each further failure doubles the block, from `firstBlockSeconds` up to `maxBlockSeconds`.
 * Unknown emails are counted exactly like real ones, so blocking never reveals whether an account exists.
 */
export interface LockoutPolicy {
  perAccountAndIp: number;
  perAccount: number;
  perIp: number;
  firstBlockSeconds: number;
  maxBlockSeconds: number;
  /** How long failures are remembered after the latest one. */
  memorySeconds: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  perAccountAndIp: 10,
  perAccount: 100,
  perIp: 100,
  firstBlockSeconds: 60,
  maxBlockSeconds: 60 * 60,
  memorySeconds: 12 * 60 * 60,
};

/** Seconds of block after `failures` failures against `threshold`: 0 up to the threshold, then 1×, 2×, 4× … cap. */
export function blockSeconds(failures: number, threshold: number, policy: LockoutPolicy): number {
  const over = failures - threshold;
  if (over <= 0) return 0;
  // 2 ** 30 already exceeds any sane cap; clamping the exponent keeps the arithmetic finite.
  return Math.min(policy.firstBlockSeconds * 2 ** Math.min(over - 1, 30), policy.maxBlockSeconds);
}

/** Seconds left of the block a failure record imposes at `now`. */
export function remainingBlockSeconds(record: FailureCount | null, threshold: number, policy: LockoutPolicy, now: number): number {
  if (!record) return 0;
  const until = record.lastFailureAt + blockSeconds(record.count, threshold, policy) * 1000;
  return Math.max(0, Math.ceil((until - now) / 1000));
}

export class LoginThrottle {
  constructor(
    private readonly counters: SecurityCounters,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until this email may be tried again from this IP; 0 when it may be tried now. */
  async retryAfter(email: string, ip: string): Promise<number> {
    const now = this.now();
    const [pair, account, address] = await Promise.all(this.keys(email, ip).map((key) => this.counters.readFailures(key)));
    return Math.max(
      remainingBlockSeconds(pair ?? null, this.policy.perAccountAndIp, this.policy, now),
      remainingBlockSeconds(account ?? null, this.policy.perAccount, this.policy, now),
      remainingBlockSeconds(address ?? null, this.policy.perIp, this.policy, now),
    );
  }

  /** Counts one failure (a wrong password or a wrong second factor) everywhere it applies. */
  async recordFailure(email: string, ip: string): Promise<void> {
    const now = this.now();
    await Promise.all(
      this.keys(email, ip).map((key) => this.counters.recordFailure(key, this.policy.memorySeconds, now)),
    );
  }

  /** A successful sign-in forgives the account's failures; the IP's count across accounts stays. */
  async recordSuccess(email: string, ip: string): Promise<void> {
    const [pair, account] = this.keys(email, ip);
    await Promise.all([this.counters.clearFailures(pair!), this.counters.clearFailures(account!)]);
  }

  /** [account+IP, account, IP] */
  private keys(email: string, ip: string): string[] {
    // Emails are hashed so counter keys (in Redis, in dumps) carry no personal data.
    const account = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
    return [`login:pair:${account}:${ip}`, `login:account:${account}`, `login:ip:${ip}`];
  }
}
