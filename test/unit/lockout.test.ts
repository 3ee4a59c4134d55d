import { describe, expect, it } from '@jest/globals';
import { blockSeconds, DEFAULT_LOCKOUT_POLICY, LoginThrottle } from '../../src/accounts/lockout.js';
import { InMemoryCounters } from './support/in-memory-counters.js';

const policy = DEFAULT_LOCKOUT_POLICY;

function setup() {
  let now = Date.parse('2026-11-22T12:00:00Z');
  const clock = { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
  const throttle = new LoginThrottle(new InMemoryCounters(clock.now), policy, clock.now);
  return { throttle, clock };
}

async function fail(throttle: LoginThrottle, times: number, email = 'ada@example.com', ip = '203.0.113.7') {
  for (let i = 0; i < times; i += 1) await throttle.recordFailure(email, ip);
}

describe('lockout schedule', () => {
  it('allows ten failures, then blocks 1, 2, 4, 8 … minutes, capped at one hour', () => {
    expect([1, 5, 10].map((n) => blockSeconds(n, 10, policy))).toEqual([0, 0, 0]);
    expect([11, 12, 13, 14, 15, 16, 17].map((n) => blockSeconds(n, 10, policy))).toEqual([
      60, 120, 240, 480, 960, 1920, 3600,
    ]);
    expect(blockSeconds(500, 10, policy)).toBe(3600);
    expect(blockSeconds(1e9, 10, policy)).toBe(3600);
  });
});

describe('LoginThrottle', () => {
  it('does not block at ten failures and blocks for a minute at the eleventh', async () => {
    const { throttle } = setup();
    await fail(throttle, 10);
    expect(await throttle.retryAfter('ada@example.com', '203.0.113.7')).toBe(0);
    await fail(throttle, 1);
    expect(await throttle.retryAfter('ada@example.com', '203.0.113.7')).toBe(60);
  });

  it('grows the block with each further failure and lifts it when it has run out', async () => {
    const { throttle, clock } = setup();
    await fail(throttle, 12);
    expect(await throttle.retryAfter('ada@example.com', '203.0.113.7')).toBe(120);
    clock.advance(119);
    expect(await throttle.retryAfter('ada@example.com', '203.0.113.7')).toBe(1);
    clock.advance(1);
    expect(await throttle.retryAfter('ada@example.com', '203.0.113.7')).toBe(0);
    await fail(throttle, 1);
    expect(await throttle.retryAfter('ada@example.com', '203.0.113.7')).toBe(240);
  });

  it('blocks only the attacking address, not the account everywhere, at the first threshold', async () => {
    const { throttle } = setup();
    await fail(throttle, 11, 'ada@example.com', '203.0.113.7');
    expect(await throttle.retryAfter('ada@example.com', '198.51.100.1')).toBe(0);
  });

  it('blocks the account everywhere when failures come from many addresses', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 101; i += 1) await throttle.recordFailure('ada@example.com', `198.51.100.${i}`);
    expect(await throttle.retryAfter('ada@example.com', '192.0.2.1')).toBe(60);
  });

  it('blocks an address that tries many accounts (credential stuffing)', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 101; i += 1) await throttle.recordFailure(`user${i}@example.com`, '203.0.113.9');
    expect(await throttle.retryAfter('fresh@example.com', '203.0.113.9')).toBe(60);
  });

  it('forgets the account failures after a success', async () => {
    const { throttle } = setup();
    await fail(throttle, 10);
    await throttle.recordSuccess('ada@example.com', '203.0.113.7');
    await fail(throttle, 10);
    expect(await throttle.retryAfter('ada@example.com', '203.0.113.7')).toBe(0);
  });

  it('counts an email the same whatever its case or spacing', async () => {
    const { throttle } = setup();
    await fail(throttle, 6, 'Ada@Example.com');
    await fail(throttle, 5, ' ada@example.com ');
    expect(await throttle.retryAfter('ADA@EXAMPLE.COM', '203.0.113.7')).toBe(60);
  });
});
