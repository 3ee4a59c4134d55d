import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { SecurityCounters } from '../../src/storage/ports.js';

export interface CountersHarness {
  counters: SecurityCounters;
  close(): Promise<void>;
}

/** The behaviour every SecurityCounters adapter must show: exact counts under concurrency, and expiry. */
export function describeSecurityCountersContract(adapter: string, open: () => Promise<CountersHarness>): void {
  describe(`SecurityCounters contract: ${adapter}`, () => {
    let counters: SecurityCounters;
    const opened: CountersHarness[] = [];
    const key = () => `test:${randomUUID()}`;

    beforeEach(async () => {
      const harness = await open();
      opened.push(harness);
      counters = harness.counters;
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
    });

    it('accumulates failures with the time of the latest, and clears them', async () => {
      const k = key();
      expect(await counters.readFailures(k)).toBeNull();
      expect(await counters.recordFailure(k, 60, 1000)).toEqual({ count: 1, lastFailureAt: 1000 });
      expect(await counters.recordFailure(k, 60, 2000)).toEqual({ count: 2, lastFailureAt: 2000 });
      expect(await counters.readFailures(k)).toEqual({ count: 2, lastFailureAt: 2000 });
      await counters.clearFailures(k);
      expect(await counters.readFailures(k)).toBeNull();
      expect(await counters.recordFailure(k, 60, 3000)).toEqual({ count: 1, lastFailureAt: 3000 });
    });

    it('loses no failure among fifty concurrent ones', async () => {
      const k = key();
      await Promise.all(Array.from({ length: 50 }, (_, i) => counters.recordFailure(k, 60, 1000 + i)));
      expect((await counters.readFailures(k))?.count).toBe(50);
    });

    it('forgets failures, hits and claims when they expire', async () => {
      const [failures, hits, claim] = [key(), key(), key()];
      await counters.recordFailure(failures, 1, Date.now());
      await counters.hit(hits, 1);
      expect(await counters.claimOnce(claim, 1)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await counters.readFailures(failures)).toBeNull();
      expect(await counters.recordFailure(failures, 60, Date.now())).toMatchObject({ count: 1 });
      expect(await counters.hit(hits, 60)).toBe(1);
      expect(await counters.claimOnce(claim, 60)).toBe(true);
    });

    it('counts hits in a window, exactly under concurrency', async () => {
      const k = key();
      expect(await counters.hit(k, 60)).toBe(1);
      expect(await counters.hit(k, 60)).toBe(2);
      const results = await Promise.all(Array.from({ length: 30 }, () => counters.hit(k, 60)));
      expect(Math.max(...results)).toBe(32);
      expect(new Set(results).size).toBe(30);
    });

    it('counts several hits in one call, opening a window with them or adding them to it', async () => {
      const k = key();
      expect(await counters.hit(k, 60, 5)).toBe(5);
      expect(await counters.hit(k, 60)).toBe(6);
      expect(await counters.hit(k, 60, 3)).toBe(9);
      const results = await Promise.all(Array.from({ length: 10 }, () => counters.hit(k, 60, 4)));
      expect(Math.max(...results)).toBe(49);
      expect(new Set(results).size).toBe(10);
    });

    it('starts a new window with the hits counted in one call', async () => {
      const k = key();
      expect(await counters.hit(k, 1, 7)).toBe(7);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await counters.hit(k, 60, 3)).toBe(3);
      expect(await counters.hit(k, 60, 2)).toBe(5);
    });

    it('grants a claim to exactly one of many concurrent callers', async () => {
      const k = key();
      const results = await Promise.all(Array.from({ length: 20 }, () => counters.claimOnce(k, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await counters.claimOnce(k, 60)).toBe(false);
    });
  });
}
