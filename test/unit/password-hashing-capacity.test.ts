import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { defaultHashingSlots, HashingSlots, libuvThreadpoolSize } from '../../src/accounts/hashing-slots.js';
import { PasswordHasher } from '../../src/accounts/password-hasher.js';

/** A unit of work the test finishes by hand, so the order of events is decided by the test, not by timing. */
function deferred() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

const LIGHT = { timeCost: 1, parallelism: 4, memoryKiB: 8 * 1024 };

describe('hashing slots', () => {
  it('runs at most `size` jobs at once and starts the waiting ones in arrival order', async () => {
    const slots = new HashingSlots(2);
    const started: number[] = [];
    const jobs = [0, 1, 2, 3].map(() => deferred());
    const results = jobs.map((job, index) =>
      slots.run(async () => {
        started.push(index);
        await job.done;
        return index;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(slots.queued).toBe(2);

    jobs[1]!.finish();
    await results[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);

    jobs[0]!.finish();
    jobs[2]!.finish();
    jobs[3]!.finish();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3]);
    expect(slots.queued).toBe(0);
  });

  it('frees the slot of a job that fails', async () => {
    const slots = new HashingSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('hash failed')))).rejects.toThrow('hash failed');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });

  it('leaves a core to the event loop and a libuv thread to other work', () => {
    expect(defaultHashingSlots(1, 4)).toBe(1);
    expect(defaultHashingSlots(2, 4)).toBe(1);
    expect(defaultHashingSlots(8, 4)).toBe(3);
    expect(defaultHashingSlots(8, 16)).toBe(7);
    expect(defaultHashingSlots(4, 1)).toBe(1);
  });

  it("reads libuv's threadpool size from UV_THREADPOOL_SIZE, defaulting to 4", () => {
    expect(libuvThreadpoolSize({})).toBe(4);
    expect(libuvThreadpoolSize({ UV_THREADPOOL_SIZE: '8' })).toBe(8);
    expect(libuvThreadpoolSize({ UV_THREADPOOL_SIZE: 'lots' })).toBe(4);
    expect(libuvThreadpoolSize({ UV_THREADPOOL_SIZE: '0' })).toBe(4);
  });

  it('refuses a size that would never run anything', () => {
    expect(() => new HashingSlots(0)).toThrow(RangeError);
  });
});

describe('password hasher under load', () => {
  it('queues concurrent hashes through its slots and still makes them with parallelism 4', async () => {
    const slots = new HashingSlots(1);
    const hasher = new PasswordHasher(LIGHT, { slots });
    const hashes = await Promise.all(['one', 'two', 'three'].map((password) => hasher.hash(password)));
    for (const hash of hashes) expect(hash).toMatch(/^\$argon2id\$v=19\$m=8192,p=4,t=1\$/);
    expect(await hasher.verify(hashes[1]!, 'two')).toBe(true);
    expect(await hasher.verify(hashes[1]!, 'one')).toBe(false);
    expect(slots.queued).toBe(0);
  });

  const onLinux = process.platform === 'linux' ? it : it.skip;
  onLinux('runs the hashing threads at low CPU priority (nice 10), leaving the event loop at its own', async () => {
    const eventLoopPriority = getPriority();
    const hasher = new PasswordHasher(LIGHT);
    // Two hashes: the first starts the threadpool, whose threads name themselves a moment later.
    await hasher.hash('first');
    await hasher.hash('second');
    const niceOf = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const workers = readdirSync('/proc/self/task').filter(
      (tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'libuv-worker',
    );
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.map(niceOf).every((nice) => nice === Math.max(10, eventLoopPriority))).toBe(true);
    expect(niceOf(String(process.pid))).toBe(eventLoopPriority);
  });
});
