import { describe, expect, it } from '@jest/globals';
import { generateRecoveryCodes, hashRecoveryCode, matchRecoveryCode } from '../../src/accounts/recovery-codes.js';
import { generateTotpSecret, totpUri, verifyTotp } from '../../src/accounts/totp.js';
import { totpCode } from '../support/totp.js';

// RFC 6238 Appendix B, SHA-1 seed "12345678901234567890", as base32; the 8-digit vectors' last 6 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
];

describe('TOTP', () => {
  it.each(RFC_VECTORS)('matches the RFC 6238 vector at T=%i', (seconds, code) => {
    expect(verifyTotp(RFC_SECRET, code, seconds * 1000)).toBe(Math.floor(seconds / 30));
    expect(totpCode(RFC_SECRET, seconds * 1000)).toBe(code);
  });

  it('accepts the previous and next step, refuses two steps away, and reports the matched step', () => {
    const secret = generateTotpSecret();
    const now = Date.parse('2026-11-22T12:00:10Z');
    const step = Math.floor(now / 30000);
    expect(verifyTotp(secret, totpCode(secret, now, -1), now)).toBe(step - 1);
    expect(verifyTotp(secret, totpCode(secret, now, 0), now)).toBe(step);
    expect(verifyTotp(secret, totpCode(secret, now, 1), now)).toBe(step + 1);
    expect(verifyTotp(secret, totpCode(secret, now, -2), now)).toBeNull();
    expect(verifyTotp(secret, totpCode(secret, now, 2), now)).toBeNull();
  });

  it.each(['', '12345', '1234567', 'abcdef', '12 34 5x', '１２３４５６'])('refuses the malformed code %j without throwing', (code) => {
    expect(verifyTotp(generateTotpSecret(), code)).toBeNull();
  });

  it('makes 20-byte secrets and otpauth URIs for authenticator apps', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(totpUri({ secret, accountName: 'ada@example.com', issuer: 'id.example.com' })).toMatch(
      new RegExp(`^otpauth://totp/id\\.example\\.com:ada%40example\\.com\\?secret=${secret}&issuer=id\\.example\\.com`),
    );
  });
});

describe('recovery codes', () => {
  it('makes ten distinct, readable codes stored as SHA-256 hashes', () => {
    const { codes, hashes } = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-TV-Z2-9]{5}-[A-HJKMNP-TV-Z2-9]{5}$/);
    expect(hashes.every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
    expect(hashes.join()).not.toContain(codes[0]!);
  });

  it('matches regardless of case, spaces and dash, and only the right code', () => {
    const { codes, hashes } = generateRecoveryCodes();
    expect(matchRecoveryCode(codes[3]!, hashes)).toBe(3);
    expect(matchRecoveryCode(` ${codes[3]!.toLowerCase().replace('-', ' ')} `, hashes)).toBe(3);
    expect(matchRecoveryCode('AAAAA-AAAAA', hashes)).toBe(-1);
    expect(matchRecoveryCode(codes[0]!, [hashRecoveryCode('other')])).toBe(-1);
  });
});
