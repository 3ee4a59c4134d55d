import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** Crockford-style alphabet without look-alikes (no 0/O, 1/I/L, U): easy to read off paper and type. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const GROUP = 5;
const COUNT = 10;

/**
 * Ten single-use codes, each 10 characters from a 30-letter alphabet (~49 bits). Codes this random cannot be
 * guessed from their hash by brute force, so a fast SHA-256 is enough (unlike passwords, which need Argon2id).
 */
export function generateRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: COUNT }, () => {
    const chars = Array.from({ length: GROUP * 2 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, GROUP)}-${chars.slice(GROUP)}`;
  });
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalize(code)).digest('hex');
}

/** Index of the stored hash the code matches, or -1. Case, spaces and dashes do not matter. */
export function matchRecoveryCode(code: string, hashes: string[]): number {
  const candidate = Buffer.from(hashRecoveryCode(code), 'hex');
  let match = -1;
  // Compare against every hash so the time taken does not depend on where (or whether) the code matched.
  hashes.forEach((hash, index) => {
    const stored = Buffer.from(hash, 'hex');
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate) && match < 0) match = index;
  });
  return match;
}

function normalize(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
