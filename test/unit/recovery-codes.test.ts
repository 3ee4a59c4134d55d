import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { generateRecoveryCodes, hashRecoveryCode, matchRecoveryCode } from '../../src/accounts/recovery-codes.js';

// Complements second-factor.test.ts (shape, one match, case/space/dash): the hash itself, every code matching its
// own slot, near misses, damaged stored hashes, and the spread of the symbols.

const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('recovery codes: generation', () => {
  it('stores SHA-256 of the code in upper case without its dash, and nothing else', () => {
    const { codes, hashes } = generateRecoveryCodes();
    expect(hashes).toEqual(codes.map((code) => sha256(code.replace('-', ''))));
    expect(hashRecoveryCode('abcde fghjk')).toBe(sha256('ABCDEFGHJK'));
  });

  it('makes a different set every time', () => {
    const first = generateRecoveryCodes().codes;
    const second = generateRecoveryCodes().codes;
    expect(first.filter((code) => second.includes(code))).toEqual([]);
  });

  it('draws every symbol of the alphabet about equally often, and no other', () => {
    const counts = new Map<string, number>();
    for (let round = 0; round < 300; round += 1) {
      for (const code of generateRecoveryCodes().codes) {
        for (const symbol of code.replace('-', '')) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
      }
    }
    // 30,000 symbols: 1,000 expected each, standard deviation ~31, so ±200 only fails on a real bias.
    expect([...counts.keys()].sort().join('')).toBe([...ALPHABET].sort().join(''));
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(200);
  });
});

describe('recovery codes: matching', () => {
  const { codes, hashes } = generateRecoveryCodes();

  it('finds every code in its own slot', () => {
    expect(codes.map((code) => matchRecoveryCode(code, hashes))).toEqual([...codes.keys()]);
  });

  it.each([
    ['lower case', (code: string) => code.toLowerCase()],
    ['no dash', (code: string) => code.replace('-', '')],
    ['a space for the dash', (code: string) => code.replace('-', ' ')],
    ['surrounding white space', (code: string) => `\t ${code} \n`],
    ['groups of two', (code: string) => code.replace('-', '').replace(/(..)/g, '$1 ')],
  ])('accepts %s', (_name, variant) => {
    expect(matchRecoveryCode(variant(codes[7]!), hashes)).toBe(7);
  });

  it('refuses near misses', () => {
    const code = codes[2]!;
    const swapped = code[0] === 'A' ? `B${code.slice(1)}` : `A${code.slice(1)}`;
    for (const attempt of [swapped, code.slice(0, -1), `${code}A`, code.slice(0, 5), '', '-', '   ']) {
      expect(matchRecoveryCode(attempt, hashes)).toBe(-1);
    }
  });

  it('refuses a code from another set, and anything against no hashes', () => {
    expect(matchRecoveryCode(generateRecoveryCodes().codes[0]!, hashes)).toBe(-1);
    expect(matchRecoveryCode(codes[0]!, [])).toBe(-1);
  });

  it('refuses non-string input without throwing', () => {
    expect(matchRecoveryCode(undefined as unknown as string, hashes)).toBe(-1);
    expect(matchRecoveryCode(12345 as unknown as string, hashes)).toBe(-1);
  });

  it('skips damaged stored hashes instead of throwing, and still reports the right slot', () => {
    const damaged = ['', 'not hex', hashes[0]!.slice(0, 62), `${hashes[0]!}00`, hashes[4]!.toUpperCase()];
    expect(matchRecoveryCode(codes[0]!, damaged)).toBe(-1);
    expect(matchRecoveryCode(codes[4]!, damaged)).toBe(4);
  });

  it('reports the first slot when a hash is stored twice', () => {
    expect(matchRecoveryCode(codes[1]!, [hashes[0]!, hashes[1]!, hashes[1]!])).toBe(1);
  });
});
