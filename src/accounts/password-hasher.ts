import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { HashingSlots } from './hashing-slots.js';
import { ThreadpoolPriority } from './threadpool-priority.js';

/** Argon2id cost parameters. The defaults are the promised ones: t=3, p=4, m=64 MiB, 16-byte salt. */
export interface Argon2Parameters {
  timeCost: number;
  parallelism: number;
  memoryKiB: number;
}

export const DEFAULT_ARGON2_PARAMETERS: Argon2Parameters = { timeCost: 3, parallelism: 4, memoryKiB: 64 * 1024 };

const SALT_BYTES = 16;

/** One per process: the threadpool it lowers is the process's. */
const threadpoolPriority = new ThreadpoolPriority();

export interface PasswordHasherOptions {
  /** How many hashes may run at once (see hashing-slots.ts); by default sized to the cores. */
  slots?: HashingSlots;
}

/**
 * Argon2id hashing that keeps the server responsive under a login storm without weakening the hash: hashes take
 * turns through a few slots, and run on threads of low CPU priority (threadpool-priority.ts).
 */
export class PasswordHasher {
  /** A real hash of a random string, verified against for unknown accounts so both paths cost the same. */
  private dummyHash?: Promise<string>;
  private readonly slots: HashingSlots;

  constructor(
    private readonly parameters: Argon2Parameters = DEFAULT_ARGON2_PARAMETERS,
    options: PasswordHasherOptions = {},
  ) {
    this.slots = options.slots ?? new HashingSlots();
  }

  hash(password: string): Promise<string> {
    return this.inSlot(() =>
      argon2.hash(password, {
        type: argon2.argon2id,
        timeCost: this.parameters.timeCost,
        parallelism: this.parameters.parallelism,
        memoryCost: this.parameters.memoryKiB,
        salt: randomBytes(SALT_BYTES),
      }),
    );
  }

  async verify(encodedHash: string, password: string): Promise<boolean> {
    try {
      return await this.inSlot(() => argon2.verify(encodedHash, password));
    } catch {
      // A malformed stored hash must read as "wrong password", never as a server error.
      return false;
    }
  }

  /** Spends the time of one verification and always fails. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash(`dummy-${Math.random()}`);
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** Unknown accounts take the same turn as known ones: waiting in the queue reveals nothing either. */
  private inSlot<T>(hashing: () => Promise<T>): Promise<T> {
    return this.slots.run(() => {
      const running = hashing();
      // The job is queued now, so the threadpool exists (it starts on first use): lower what is there.
      threadpoolPriority.lower();
      return running;
    });
  }

  /** True when the hash was made with other parameters than the configured ones. */
  needsRehash(encodedHash: string): boolean {
    return argon2.needsRehash(encodedHash, {
      timeCost: this.parameters.timeCost,
      parallelism: this.parameters.parallelism,
      memoryCost: this.parameters.memoryKiB,
    });
  }
}
