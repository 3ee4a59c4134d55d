import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DecryptionError, deriveDevelopmentFieldKey, FieldEncryption, FieldKeyError, parseFieldKeys } from '../../src/crypto/index.js';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('field encryption', () => {
  it('round-trips with a fresh IV each time and names its key', () => {
    const encryption = new FieldEncryption([key('k1')]);
    const a = encryption.encrypt('JBSWY3DPEHPK3PXP', 'totp:acct-1');
    const b = encryption.encrypt('JBSWY3DPEHPK3PXP', 'totp:acct-1');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.k1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(a).not.toContain('JBSWY3DP');
    expect(encryption.decrypt(a, 'totp:acct-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a value moved to another record, tampered, or under an unknown key', () => {
    const encryption = new FieldEncryption([key('k1')]);
    const value = encryption.encrypt('secret', 'totp:acct-1');
    expect(() => encryption.decrypt(value, 'totp:acct-2')).toThrow(DecryptionError);
    const parts = value.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => encryption.decrypt(parts.join('.'), 'totp:acct-1')).toThrow(DecryptionError);
    expect(() => new FieldEncryption([key('k2')]).decrypt(value, 'totp:acct-1')).toThrow(/unknown key id k1/);
    expect(() => encryption.decrypt('plain text', '')).toThrow(DecryptionError);
  });

  it('rotates: the first key encrypts, old keys still decrypt, old values are found', () => {
    const [oldKey, newKey] = [key('old'), key('new')];
    const before = new FieldEncryption([oldKey]).encrypt('secret');
    const rotated = new FieldEncryption([newKey, oldKey]);
    expect(rotated.decrypt(before)).toBe('secret');
    expect(rotated.needsReencryption(before)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('secret'))).toBe(false);
  });

  it('parses the setting and rejects malformed ones', () => {
    const setting = `a:${randomBytes(32).toString('base64')},b:${randomBytes(32).toString('base64')}`;
    expect(parseFieldKeys(setting).map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(() => parseFieldKeys('a:c2hvcnQ=')).toThrow(FieldKeyError);
    expect(() => parseFieldKeys(`a:${randomBytes(32).toString('base64')},a:${randomBytes(32).toString('base64')}`)).toThrow(/unique/);
    expect(() => parseFieldKeys(`bad id:${randomBytes(32).toString('base64')}`)).toThrow(FieldKeyError);
  });

  it('derives a stable development key from the cookie key', () => {
    expect(deriveDevelopmentFieldKey('cookie-secret').key.equals(deriveDevelopmentFieldKey('cookie-secret').key)).toBe(true);
    expect(deriveDevelopmentFieldKey('cookie-secret').key.equals(deriveDevelopmentFieldKey('other').key)).toBe(false);
  });
});
