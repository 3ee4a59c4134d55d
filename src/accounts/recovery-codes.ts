import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * 30 symbols without look-alikes (no 0/O, no 1/I/L) and, as in Crockford's base32, no U: easy to read off paper
 * and type back. Shown in upper case; any case is accepted.
 */
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const GROUP_LENGTH = 5;
const CODE_COUNT = 10;
const SHA256_BYTES = 32;

/**
 * Ten single-use codes shaped `XXXXX-XXXXX`, shown to the user once, and their hashes, which are all that is
 * stored. Each code is 10 independent uniform symbols (crypto `randomInt`, no modulo bias): 30^10 ≈ 2^49.
 *
 * Why SHA-256 and not Argon2 as for passwords: a slow hash exists to protect low-entropy, human-chosen secrets
 * from dictionary attacks. These codes are machine-chosen and uniform, so there is no dictionary; the only attack
 * on a stolen hash is searching the 2^49 space (unsalted, one search covers every account's hashes), and what it
 * wins is a second factor, not the password in front of it. A slow hash would also cost ten Argon2 runs per
 * sign-in attempt, since a code must be tried against every stored hash.
 */
export function generateRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const unique = new Set<string>();
  // Ten random codes collide with probability ~2^-43; the set makes "ten distinct codes" a guarantee anyway.
  while (unique.size < CODE_COUNT) unique.add(randomCode());
  const codes = [...unique];
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/** SHA-256 hex of the normalised code, so "abcde fghjk" and "ABCDE-FGHJK" are the same code. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normalize(code), 'utf8').digest('hex');
}

/**
 * The index of the stored hash this code matches, or -1. Case, spaces and the dash do not matter. Every hash is
 * compared, in constant time, so the time taken does not tell whether or where the code matched.
 */
export function matchRecoveryCode(code: string, hashes: readonly string[]): number {
  if (typeof code !== 'string') return -1;
  const candidate = Buffer.from(hashRecoveryCode(code), 'hex');
  let match = -1;
  hashes.forEach((hash, index) => {
    const stored = Buffer.from(hash, 'hex');
    // A stored value that is not a SHA-256 hex digest can match nothing (timingSafeEqual needs equal lengths).
    const equal = stored.length === SHA256_BYTES && timingSafeEqual(stored, candidate);
    if (equal && match === -1) match = index;
  });
  return match;
}

function randomCode(): string {
  const symbols = Array.from({ length: GROUP_LENGTH * 2 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${symbols.slice(0, GROUP_LENGTH)}-${symbols.slice(GROUP_LENGTH)}`;
}

function normalize(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
