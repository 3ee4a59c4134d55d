import { afterEach, describe, expect, it } from '@jest/globals';
import { RateLimitWindows, type WindowHit } from '../../src/http/rate-limit-windows.js';
import { InMemoryCounters } from './support/in-memory-counters.js';

/** The in-memory counters, recording each hit call and failing on demand. */
class RecordingCounters extends InMemoryCounters {
  readonly calls: Array<{ key: string; by: number }> = [];
  failing = false;

  override async hit(key: string, windowSeconds: number, by = 1): Promise<number> {
    this.calls.push({ key, by });
    if (this.failing) throw new Error('counters unavailable');
    return super.hit(key, windowSeconds, by);
  }
}

const WINDOW_SECONDS = 60;

describe('rate-limit windows', () => {
  let clock = 0;
  const now = () => clock;
  const opened: RateLimitWindows[] = [];
  const flushErrors: unknown[] = [];

  const open = (counters: RecordingCounters, maxKeys?: number) => {
    // The timer never fires during a test: flushes happen when the test calls flush().
    const windows = new RateLimitWindows(counters, {
      windowSeconds: WINDOW_SECONDS,
      onFlushError: (error) => flushErrors.push(error),
      now,
      maxKeys,
      flushIntervalMs: 3_600_000,
    });
    opened.push(windows);
    return windows;
  };
  const hitTimes = async (windows: RateLimitWindows, key: string, limit: number, times: number) => {
    const results: WindowHit[] = [];
    for (let i = 0; i < times; i += 1) results.push(await windows.hit(key, limit));
    return results;
  };
  const hitsOf = (result: WindowHit | undefined) => (result?.counted ? result.hits : undefined);

  afterEach(async () => {
    for (const windows of opened.splice(0)) await windows.close();
    flushErrors.length = 0;
    clock = 0;
  });

  it('asks the store for the first hit of a key, then counts locally far below half the limit', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    const results = await hitTimes(windows, 'rate:token:192.0.2.1', 1000, 400);
    expect(results.map(hitsOf)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(counters.calls).toEqual([{ key: 'rate:token:192.0.2.1', by: 1 }]);
  });

  it('goes to the store on every hit past half the limit, carrying the pending local hits once', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    await hitTimes(windows, 'k', 200, 100);
    expect(counters.calls).toHaveLength(1);
    const pastHalf = await hitTimes(windows, 'k', 200, 3);
    expect(pastHalf.map(hitsOf)).toEqual([101, 102, 103]);
    expect(counters.calls.slice(1).map((call) => call.by)).toEqual([100, 1, 1]);
  });

  it('answers near the limit with the count other instances flushed', async () => {
    const counters = new RecordingCounters(now);
    const [first, second] = [open(counters), open(counters)];
    await hitTimes(first, 'k', 200, 90);
    await first.flush();
    // The second instance learns 91 on its first hit and counts 9 more locally up to half the limit; from then on
    // it asks the store on every hit.
    expect(hitsOf(await second.hit('k', 200))).toBe(91);
    const results = await hitTimes(second, 'k', 200, 110);
    expect(hitsOf(results.at(-1))).toBe(201);
    expect(counters.calls).toHaveLength(2 + 1 + 101);
  });

  it('flushes each key’s pending hits in one call, and nothing when none are pending', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    await hitTimes(windows, 'a', 1000, 11);
    await hitTimes(windows, 'b', 1000, 3);
    counters.calls.length = 0;
    await windows.flush();
    expect(counters.calls).toEqual([
      { key: 'a', by: 10 },
      { key: 'b', by: 2 },
    ]);
    expect(await counters.hit('a', WINDOW_SECONDS, 0)).toBe(11);
    counters.calls.length = 0;
    await windows.flush();
    expect(counters.calls).toEqual([]);
  });

  it('sends what is still pending on close', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    await hitTimes(windows, 'k', 1000, 5);
    await windows.close();
    expect(counters.calls.at(-1)).toEqual({ key: 'k', by: 4 });
    expect(windows.size).toBe(0);
  });

  it('counts small budgets in the store on every hit', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    const results = await hitTimes(windows, 'k', 4, 5);
    expect(results.map(hitsOf)).toEqual([1, 2, 3, 4, 5]);
    expect(counters.calls).toHaveLength(5);
    expect(windows.size).toBe(0);
  });

  it('asks the store again once the local window is over, with the hits still pending', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    await hitTimes(windows, 'k', 1000, 4);
    clock += WINDOW_SECONDS * 1000;
    expect(hitsOf(await windows.hit('k', 1000))).toBe(4);
    expect(counters.calls.at(-1)).toEqual({ key: 'k', by: 4 });
    expect(hitsOf(await windows.hit('k', 1000))).toBe(5);
    expect(counters.calls).toHaveLength(2);
  });

  it('fails open when the store fails, reports once a window, and keeps the pending hits for later', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    await hitTimes(windows, 'k', 200, 100);
    counters.failing = true;
    const failures = await hitTimes(windows, 'k', 200, 3);
    expect(failures.map((result) => (result.counted ? 'counted' : result.report))).toEqual([true, false, false]);
    clock += WINDOW_SECONDS * 1000 - 1;
    const sameWindow = await windows.hit('k', 200);
    expect(sameWindow.counted === false && sameWindow.report).toBe(false);
    clock += 1;
    const nextWindow = await windows.hit('k', 200);
    expect(nextWindow.counted === false && nextWindow.report).toBe(true);
    counters.failing = false;
    // The 99 hits counted locally before the outage are not lost: the next call carries them.
    expect(hitsOf(await windows.hit('k', 200))).toBe(100);
    expect(counters.calls.at(-1)).toEqual({ key: 'k', by: 100 });
  });

  it('counts nothing locally for a key whose first store call failed', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    counters.failing = true;
    expect((await windows.hit('k', 1000)).counted).toBe(false);
    counters.failing = false;
    expect(hitsOf(await windows.hit('k', 1000))).toBe(1);
    expect(counters.calls).toHaveLength(2);
  });

  it('reports a failed flush once a window and sends the hits with the next flush', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters);
    await hitTimes(windows, 'k', 1000, 6);
    counters.failing = true;
    await windows.flush();
    await windows.flush();
    expect(flushErrors).toHaveLength(1);
    counters.failing = false;
    await windows.flush();
    expect(counters.calls.at(-1)).toEqual({ key: 'k', by: 5 });
    expect(await counters.hit('k', WINDOW_SECONDS, 0)).toBe(6);
  });

  it('keeps the answer of the latest call when an earlier call answers after it', async () => {
    const counters = new RecordingCounters(now);
    const answers: Array<(hits: number) => void> = [];
    counters.hit = async (key, _windowSeconds, by = 1) => {
      counters.calls.push({ key, by });
      return new Promise<number>((resolve) => answers.push(resolve));
    };
    const windows = open(counters);
    const firstHit = windows.hit('k', 200);
    answers[0]!(150);
    expect(hitsOf(await firstHit)).toBe(150);
    // Past half: both go to the store. The later call sees a new store window and answers first.
    const [earlier, later] = [windows.hit('k', 200), windows.hit('k', 200)];
    answers[2]!(30);
    answers[1]!(151);
    expect([hitsOf(await earlier), hitsOf(await later)]).toEqual([151, 30]);
    // The window holds 30, not the stale 151: far below half again, so counted here.
    expect(hitsOf(await windows.hit('k', 200))).toBe(31);
    expect(counters.calls).toHaveLength(3);
    const closing = windows.close();
    answers[3]!(31);
    await closing;
    expect(counters.calls.at(-1)).toEqual({ key: 'k', by: 1 });
  });

  it('holds at most maxKeys windows and counts further keys in the store on every hit', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters, 2);
    for (const key of ['a', 'b', 'c']) await hitTimes(windows, key, 1000, 3);
    expect(windows.size).toBe(2);
    expect(counters.calls.filter((call) => call.key === 'a')).toHaveLength(1);
    expect(counters.calls.filter((call) => call.key === 'c')).toHaveLength(3);
  });

  it('drops windows that are over on the flush, making room for new keys', async () => {
    const counters = new RecordingCounters(now);
    const windows = open(counters, 2);
    await hitTimes(windows, 'a', 1000, 1);
    await hitTimes(windows, 'b', 1000, 1);
    clock += WINDOW_SECONDS * 1000;
    await windows.flush();
    expect(windows.size).toBe(0);
    await hitTimes(windows, 'c', 1000, 2);
    expect(windows.size).toBe(1);
    expect(counters.calls.filter((call) => call.key === 'c')).toHaveLength(1);
  });
});
