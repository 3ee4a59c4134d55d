import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { libuvThreadpoolSize } from './hashing-slots.js';

/**
 * Nice 10: a thread's CPU weight drops to about a tenth of a normal one's (110 against 1024), so the event loop wins
 * the core against a hash's four lane threads, and measured just as well as 19 in the login-storm benchmark
 * (bench/ROUNDS.md, first round). 19 (weight 15) would also starve hashing behind every other busy process on a
 * shared host.
 */
const HASHING_NICE = 10;
/** libuv (1.48+, Node 22) names its threadpool threads so. */
const THREADPOOL_THREAD_NAME = 'libuv-worker';

/**
 * Lowers libuv's threadpool threads to a low CPU priority (nice 10), on Linux, so that password hashing yields the
 * core to the event loop instead of sharing it equally.
 *
 * Argon2id (the `argon2` package) runs each hash on a threadpool thread, and that thread starts the hash's p − 1
 * lane threads; Linux gives a new thread its creator's priority, so the lanes are lowered too. The event loop keeps
 * normal priority and gets the core whenever it has work: a token request is no longer queued behind hashes by the
 * scheduler. The trade-off: every threadpool job (WebCrypto signatures for JWTs, file reads, DNS look-ups, zlib) also
 * yields to the event loop. They wait only while the event loop itself is busy, and that same event loop is what
 * is waiting for their results, so total throughput is unchanged; their latency grows only on a saturated core.
 *
 * Threads are found by name in /proc/self/task. The pool starts on first use, and a new thread names itself a
 * moment after it starts, so the search is repeated (call it after queueing threadpool work) until it has lowered
 * as many threads as the pool holds. Lowering a thread's own priority needs no privilege; raising it back would.
 */
export class ThreadpoolPriority {
  private readonly lowered = new Set<number>();
  private readonly poolSize = libuvThreadpoolSize();
  private readonly supported = process.platform === 'linux';

  /** Lowers the threadpool threads not lowered yet; cheap once all are. Never throws. */
  lower(): void {
    if (!this.supported || this.lowered.size >= this.poolSize) return;
    try {
      for (const entry of readdirSync('/proc/self/task')) {
        const tid = Number(entry);
        if (this.lowered.has(tid) || threadName(entry) !== THREADPOOL_THREAD_NAME) continue;
        // Only ever lowers: a process started with `nice` already runs its threads at least this low.
        if (getPriority(tid) < HASHING_NICE) setPriority(tid, HASHING_NICE);
        this.lowered.add(tid);
      }
    } catch {
      // /proc unavailable or the thread exited: hashing still works, only at normal priority.
    }
  }

  /** Threads lowered so far. */
  get count(): number {
    return this.lowered.size;
  }
}

function threadName(tid: string): string {
  try {
    return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
