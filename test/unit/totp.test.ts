import { describe, expect, it } from '@jest/globals';
import { generateTotpSecret, totpQrDataUrl, totpUri, verifyTotp } from '../../src/accounts/totp.js';
import { totpCode } from '../support/totp.js';

// Complements second-factor.test.ts (RFC vectors, ±1/±2 steps at one instant): the window at step edges, input
// normalisation, bad secrets, and the enrolment URI and QR code. Expected codes come from an independent RFC 6238
// implementation (test/support/totp.ts), never from the module under test.

const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
const T = 1111111109; // an RFC 6238 Appendix B instant; its 6-digit code is 081804
const step = (seconds: number) => Math.floor(seconds / 30);

describe('verifyTotp: the ±1 step window', () => {
  it('counts whole steps, not seconds, at the first second of a step', () => {
    const now = step(T) * 30 * 1000; // exactly on a step boundary
    for (const offset of [-1, 0, 1]) {
      expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now, offset), now)).toBe(step(T) + offset);
    }
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now, -2), now)).toBeNull();
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now, 2), now)).toBeNull();
  });

  it('counts whole steps, not seconds, at the last millisecond of a step', () => {
    const now = (step(T) + 1) * 30 * 1000 - 1;
    for (const offset of [-1, 0, 1]) {
      expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now, offset), now)).toBe(step(T) + offset);
    }
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now, -2), now)).toBeNull();
    expect(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now, 2), now)).toBeNull();
  });

  it('reports the same step for the same code all through its window, so a replay can be recognised', () => {
    const code = totpCode(RFC_SECRET, T * 1000);
    const steps = [-30, -1, 0, 1, 29, 30].map((seconds) => verifyTotp(RFC_SECRET, code, (T + seconds) * 1000));
    expect(new Set(steps)).toEqual(new Set([step(T)]));
  });

  it('defaults to the current time', () => {
    const secret = generateTotpSecret();
    const before = step(Date.now() / 1000);
    const matched = verifyTotp(secret, totpCode(secret));
    expect(matched).not.toBeNull();
    expect(Math.abs(matched! - before)).toBeLessThanOrEqual(1);
  });
});

describe('verifyTotp: input', () => {
  it.each(['081 804', ' 081804 ', '08 18 04', '\t081804\n'])('ignores white space in %j', (code) => {
    expect(verifyTotp(RFC_SECRET, code, T * 1000)).toBe(step(T));
  });

  it('keeps leading zeros significant', () => {
    expect(verifyTotp(RFC_SECRET, '81804', T * 1000)).toBeNull();
    expect(verifyTotp(RFC_SECRET, '0081804', T * 1000)).toBeNull();
  });

  it.each([
    ['a wrong code', '081805'],
    ['eight digits (the RFC form)', '07081804'],
    ['a sign', '+81804'],
    ['a dash', '081-804'],
    ['a decimal point', '0818.4'],
    ['Arabic-Indic digits', '٠٨١٨٠٤'],
    ['a NUL byte', '081804\u0000'],
    ['only spaces', '      '],
  ])('refuses %s without throwing', (_name, code) => {
    expect(verifyTotp(RFC_SECRET, code, T * 1000)).toBeNull();
  });

  it('refuses non-string input without throwing', () => {
    expect(verifyTotp(RFC_SECRET, 81804 as unknown as string, T * 1000)).toBeNull();
    expect(verifyTotp(RFC_SECRET, undefined as unknown as string, T * 1000)).toBeNull();
    expect(verifyTotp(null as unknown as string, '081804', T * 1000)).toBeNull();
  });

  it.each([
    ['not base32', 'not a base32 secret!'],
    ['shorter than 16 bytes', 'JBSWY3DPEHPK3PXP'],
    ['empty', ''],
  ])('matches nothing for a secret that is %s, without throwing', (_name, secret) => {
    expect(verifyTotp(secret, '123456', T * 1000)).toBeNull();
  });

  it('matches nothing at an impossible time, without throwing', () => {
    expect(verifyTotp(RFC_SECRET, '081804', Number.NaN)).toBeNull();
  });
});

describe('generateTotpSecret', () => {
  it('makes 20 random bytes as 32 unpadded base32 characters', () => {
    const secrets = Array.from({ length: 50 }, generateTotpSecret);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new Set(secrets).size).toBe(50);
  });

  it('makes secrets the independent implementation agrees on', () => {
    const secret = generateTotpSecret();
    expect(verifyTotp(secret, totpCode(secret, T * 1000), T * 1000)).toBe(step(T));
  });
});

describe('totpUri', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('labels the entry "Issuer:account" and repeats the issuer as a parameter', () => {
    const uri = new URL(totpUri({ secret, accountName: 'ada+mfa@example.com', issuer: 'Tessera Example' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Tessera Example:ada+mfa@example.com');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Tessera Example');
  });

  it('leaves out the default parameters apps assume (SHA1, 6 digits, 30 s), or states exactly those', () => {
    const params = new URL(totpUri({ secret, accountName: 'a@example.com', issuer: 'X' })).searchParams;
    expect(params.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(params.get('digits') ?? '6').toBe('6');
    expect(params.get('period') ?? '30').toBe('30');
  });

  it('turns colons into spaces, so an issuer host with a port cannot split the label', () => {
    const uri = totpUri({ secret, accountName: 'odd:name@example.com', issuer: 'localhost:3000' });
    const label = decodeURIComponent(new URL(uri).pathname.slice(1));
    expect(label).toBe('localhost 3000:odd name@example.com');
    expect(label.split(':')).toHaveLength(2);
    expect(new URL(uri).searchParams.get('issuer')).toBe('localhost 3000');
  });

  it('escapes characters that would break the URI', () => {
    const uri = totpUri({ secret, accountName: 'a&b=c#d?e/f@example.com', issuer: 'X & Y' });
    const parsed = new URL(uri);
    expect(decodeURIComponent(parsed.pathname.slice(1))).toBe('X & Y:a&b=c#d?e/f@example.com');
    expect(parsed.searchParams.get('secret')).toBe(secret);
    expect(parsed.searchParams.get('issuer')).toBe('X & Y');
    expect(parsed.hash).toBe('');
  });
});

describe('totpQrDataUrl', () => {
  it('renders a PNG data: URL', async () => {
    const dataUrl = await totpQrDataUrl(totpUri({ secret: generateTotpSecret(), accountName: 'a@example.com', issuer: 'X' }));
    expect(dataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const png = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    // IHDR width and height: the 200 px square asked for.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([200, 200]);
  });
});
