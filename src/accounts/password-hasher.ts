import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** Argon2id cost parameters. The defaults are the promised ones: t=3, p=4, m=64 MiB, 16-byte salt. */
export interface Argon2Parameters {
  timeCost: number;
  parallelism: number;
  memoryKiB: number;
}

export const DEFAULT_ARGON2_PARAMETERS: Argon2Parameters = { timeCost: 3, parallelism: 4, memoryKiB: 64 * 1024 };

const SALT_BYTES = 16;

export class PasswordHasher {
  /** A real hash of a random string, verified against for unknown accounts so both paths cost the same. */
  private dummyHash?: Promise<string>;

  constructor(private readonly parameters: Argon2Parameters = DEFAULT_ARGON2_PARAMETERS) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      timeCost: this.parameters.timeCost,
      parallelism: this.parameters.parallelism,
      memoryCost: this.parameters.memoryKiB,
      salt: randomBytes(SALT_BYTES),
    });
  }

  async verify(encodedHash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(encodedHash, password);
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

  /** True when the hash was made with other parameters than the configured ones. */
  needsRehash(encodedHash: string): boolean {
    return argon2.needsRehash(encodedHash, {
      timeCost: this.parameters.timeCost,
      parallelism: this.parameters.parallelism,
      memoryCost: this.parameters.memoryKiB,
    });
  }
}
