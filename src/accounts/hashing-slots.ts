import { availableParallelism } from 'node:os';

/**
 * At most `size` password hashes run at once; the others wait their turn, first come first served.
 *
 * Why: an Argon2id hash with parallelism p runs on a libuv threadpool thread plus p − 1 lane threads it starts, all
 * busy for the whole hash. Unbounded, a login storm on a small host puts 4 hashes × 4 lanes = 16 CPU-bound threads
 * against the one event-loop thread, and every other request (a token request that needs no hash at all) waits for
 * the scheduler; it also fills libuv's threadpool, so WebCrypto signatures and file reads queue behind the hashes.
 * Bounded, the lane count is unchanged (p stays the promised security parameter), memory is `size` × the hash's
 * memory cost at most, and the same logins finish in about the same total time: on a saturated core, running
 * hashes one after the other does not make the last one finish later than running them all at once.
 */
export class HashingSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number = defaultHashingSlots()) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`hashing slots must be a positive integer, got ${size}`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so `running` never drops and lets a newcomer jump the queue.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Hashes waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}

/**
 * One hash per core beyond the one the event loop needs, and always one libuv thread left for other work:
 * max(1, min(cores − 1, threadpool size − 1)). `availableParallelism` honours CPU affinity (taskset, cgroup cpusets),
 * so a process pinned to one core gets 1.
 */
export function defaultHashingSlots(
  cores: number = availableParallelism(),
  threadpoolSize: number = libuvThreadpoolSize(),
): number {
  return Math.max(1, Math.min(cores - 1, threadpoolSize - 1));
}

/** libuv's threadpool size: UV_THREADPOOL_SIZE when set to a usable number, else its default of 4. */
export function libuvThreadpoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const configured = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(configured) && configured >= 1 ? Math.min(configured, 1024) : 4;
}
