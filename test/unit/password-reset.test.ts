import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { InvalidResetTokenError, PASSWORD_RESET_MODEL, PasswordResetTokens } from '../../src/accounts/password-reset.js';
import { DomainError } from '../../src/shared/errors.js';
import { InMemoryArtifactStore } from './support/in-memory-artifact-store.js';

function setup(ttlSeconds = 3600) {
  let now = Date.parse('2026-11-22T12:00:00Z');
  const clock = { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
  const store = new InMemoryArtifactStore(clock.now);
  return { store, clock, tokens: new PasswordResetTokens(store, ttlSeconds, clock.now) };
}

describe('PasswordResetTokens', () => {
  it('issues a 256-bit base64url token that redeems to its account', async () => {
    const { tokens } = setup();
    const token = await tokens.issue('account-1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(await tokens.redeem(token)).toBe('account-1');
  });

  it('issues a different token every time', async () => {
    const { tokens } = setup();
    const issued = await Promise.all(Array.from({ length: 20 }, () => tokens.issue('account-1')));
    expect(new Set(issued).size).toBe(20);
  });

  it('stores only the SHA-256 of the token, never the token itself', async () => {
    const { tokens, store } = setup();
    const token = await tokens.issue('account-1');
    const stored = store.dump(PASSWORD_RESET_MODEL);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]!.payload.accountId).toBe('account-1');
  });

  it('works once: a second redeem fails', async () => {
    const { tokens } = setup();
    const token = await tokens.issue('account-1');
    await tokens.redeem(token);
    await expect(tokens.redeem(token)).rejects.toBeInstanceOf(InvalidResetTokenError);
  });

  it('lets exactly one of many concurrent redeems win', async () => {
    const { tokens } = setup();
    const token = await tokens.issue('account-1');
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => tokens.redeem(token)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const failures = results.filter((result) => result.status === 'rejected');
    expect(failures).toHaveLength(19);
    for (const failure of failures) expect(failure.reason).toBeInstanceOf(InvalidResetTokenError);
  });

  it('expires after the TTL', async () => {
    const { tokens, clock } = setup(600);
    const token = await tokens.issue('account-1');
    clock.advance(599);
    expect(await tokens.peek(token)).toBe('account-1');
    clock.advance(1);
    expect(await tokens.peek(token)).toBeNull();
    await expect(tokens.redeem(token)).rejects.toBeInstanceOf(InvalidResetTokenError);
  });

  it('checks the expiry itself, for stores that sweep expired entries late', async () => {
    let now = 0;
    // A store whose clock lags ours by an hour: its entries outlive their TTL, as with a periodic sweeper.
    const lagging = new InMemoryArtifactStore(() => now - 3_600_000);
    const tokens = new PasswordResetTokens(lagging, 60, () => now);
    const token = await tokens.issue('account-1');
    now += 61_000;
    await expect(tokens.redeem(token)).rejects.toBeInstanceOf(InvalidResetTokenError);
  });

  it('refuses unknown, malformed and non-string tokens with the same error', async () => {
    const { tokens } = setup();
    await tokens.issue('account-1');
    const unknown = Buffer.alloc(32, 7).toString('base64url');
    for (const token of [unknown, '', 'short', `${unknown}x`, 'a'.repeat(42) + '!', 42, null, undefined, {}]) {
      await expect(tokens.redeem(token)).rejects.toBeInstanceOf(InvalidResetTokenError);
      expect(await tokens.peek(token)).toBeNull();
    }
  });

  it('is a domain error with a stable code and a message safe to show', () => {
    const error = new InvalidResetTokenError();
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('invalid_token');
    expect(error.name).toBe('InvalidResetTokenError');
    expect(error.message).toMatch(/invalid, has expired or was already used/);
  });

  it('peeks without spending the token', async () => {
    const { tokens } = setup();
    const token = await tokens.issue('account-1');
    expect(await tokens.peek(token)).toBe('account-1');
    expect(await tokens.peek(token)).toBe('account-1');
    expect(await tokens.redeem(token)).toBe('account-1');
    expect(await tokens.peek(token)).toBeNull();
  });

  it('keeps tokens of different accounts apart', async () => {
    const { tokens } = setup();
    const [first, second] = [await tokens.issue('account-1'), await tokens.issue('account-2')];
    expect(await tokens.redeem(second)).toBe('account-2');
    expect(await tokens.redeem(first)).toBe('account-1');
  });

  it('refuses a TTL that would never expire', () => {
    const store = new InMemoryArtifactStore();
    for (const ttl of [0, -1, 1.5, Number.NaN]) expect(() => new PasswordResetTokens(store, ttl)).toThrow(RangeError);
  });
});
