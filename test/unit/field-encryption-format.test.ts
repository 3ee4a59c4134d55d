import { describe, expect, it } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import {
  DecryptionError,
  deriveDevelopmentFieldKey,
  FieldEncryption,
  FieldKeyError,
  generateFieldKeySetting,
  parseFieldKeys,
  type DecryptionFailure,
} from '../../src/crypto/index.js';

// Complements field-encryption.test.ts: the exact wire format, every way a stored value can be refused, and the
// edges of the key setting.

const key = (id: string) => ({ id, key: randomBytes(32) });
const b64 = (bytes: Buffer) => bytes.toString('base64');

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function failure(run: () => unknown): DecryptionFailure {
  const error = thrown(run);
  if (error instanceof DecryptionError) return error.reason;
  throw error;
}

function replacePart(value: string, index: number, part: string): string {
  const parts = value.split('.');
  parts[index] = part;
  return parts.join('.');
}

describe('field encryption: format', () => {
  const encryption = new FieldEncryption([key('k1')]);

  it('writes v1.<kid>.<12-byte IV>.<ciphertext>.<16-byte tag>, all base64url', () => {
    const value = encryption.encrypt('héllo wörld ✓');
    const [version, kid, iv, ciphertext, tag] = value.split('.');
    expect([version, kid]).toEqual(['v1', 'k1']);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    // GCM is a stream mode: the ciphertext is exactly as long as the UTF-8 plaintext.
    expect(Buffer.from(ciphertext!, 'base64url')).toHaveLength(Buffer.byteLength('héllo wörld ✓'));
    expect(value).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it.each(['', 'a', 'héllo wörld ✓ 🔐', 'x'.repeat(10_000), 'dots.and:colons,commas'])('round-trips %#', (plaintext) => {
    expect(encryption.decrypt(encryption.encrypt(plaintext, 'ctx'), 'ctx')).toBe(plaintext);
  });

  it('never repeats an IV', () => {
    const ivs = new Set(Array.from({ length: 500 }, () => encryption.encrypt('same').split('.')[2]));
    expect(ivs.size).toBe(500);
  });

  it('treats no context and the empty context as the same, and any other context as different', () => {
    expect(encryption.decrypt(encryption.encrypt('s'), '')).toBe('s');
    expect(encryption.decrypt(encryption.encrypt('s', ''))).toBe('s');
    expect(failure(() => encryption.decrypt(encryption.encrypt('s', 'totp:a')))).toBe('authentication_failed');
    expect(failure(() => encryption.decrypt(encryption.encrypt('s'), 'totp:a'))).toBe('authentication_failed');
    expect(failure(() => encryption.decrypt(encryption.encrypt('s', 'totp:a'), 'totp:A'))).toBe('authentication_failed');
  });
});

describe('field encryption: refusals', () => {
  const encryption = new FieldEncryption([key('k1'), key('k2')]);
  const value = encryption.encrypt('secret', 'ctx');

  it('refuses a flipped bit in the IV, the ciphertext or the tag', () => {
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(value.split('.')[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      const tampered = replacePart(value, index, bytes.toString('base64url'));
      expect(failure(() => encryption.decrypt(tampered, 'ctx'))).toBe('authentication_failed');
    }
  });

  it('refuses a value relabelled with another configured key id', () => {
    expect(failure(() => encryption.decrypt(replacePart(value, 1, 'k2'), 'ctx'))).toBe('authentication_failed');
  });

  it('refuses a truncated tag before it reaches GCM (Node would otherwise accept 4-byte tags)', () => {
    const tag = Buffer.from(value.split('.')[4]!, 'base64url');
    for (const length of [4, 8, 12, 15]) {
      const truncated = replacePart(value, 4, tag.subarray(0, length).toString('base64url'));
      expect(failure(() => encryption.decrypt(truncated, 'ctx'))).toBe('malformed');
    }
  });

  it('refuses an IV of another length', () => {
    expect(failure(() => encryption.decrypt(replacePart(value, 2, b64(randomBytes(16))), 'ctx'))).toBe('malformed');
    expect(failure(() => encryption.decrypt(replacePart(value, 2, ''), 'ctx'))).toBe('malformed');
  });

  it.each([
    ['plaintext', 'JBSWY3DPEHPK3PXP'],
    ['empty', ''],
    ['another version', 'v2' + value.slice(2)],
    ['a missing part', value.split('.').slice(0, 4).join('.')],
    ['an extra part', `${value}.AAAA`],
    ['a character outside base64url', replacePart(value, 3, 'ab+c')],
    ['an invalid key id', replacePart(value, 1, 'bad id')],
  ])('calls %s malformed', (_name, stored) => {
    expect(failure(() => encryption.decrypt(stored, 'ctx'))).toBe('malformed');
  });

  it('calls a value of a non-string type malformed instead of crashing', () => {
    expect(failure(() => encryption.decrypt(null as unknown as string))).toBe('malformed');
  });

  it('names an unknown key id (a key dropped from the configuration too early)', () => {
    const error = thrown(() => new FieldEncryption([key('k3')]).decrypt(value, 'ctx'));
    expect(error).toBeInstanceOf(DecryptionError);
    expect(error).toMatchObject({ name: 'DecryptionError', reason: 'unknown_key' });
    expect(error.message).toContain('k1');
  });

  it('is a plain Error, and its message never contains the plaintext or the context', () => {
    const error = thrown(() => encryption.decrypt(value, 'totp:someone-else'));
    expect(error).toBeInstanceOf(DecryptionError);
    expect(error).not.toHaveProperty('code');
    expect(error.message).not.toMatch(/secret|someone-else/);
  });
});

describe('field encryption: rotation', () => {
  it('needs re-encryption for old keys, plaintext and foreign formats, not for current values', () => {
    const [older, newer] = [key('old'), key('new')];
    const rotated = new FieldEncryption([newer, older]);
    expect(rotated.needsReencryption(new FieldEncryption([older]).encrypt('s'))).toBe(true);
    expect(rotated.needsReencryption('a plaintext secret')).toBe(true);
    expect(rotated.needsReencryption('v2.new.a.b.c')).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('s'))).toBe(false);
  });

  it('keeps its own copy of the keys', () => {
    const material = key('k1');
    const encryption = new FieldEncryption([material]);
    const value = encryption.encrypt('s');
    material.key.fill(0);
    expect(encryption.decrypt(value)).toBe('s');
  });

  it.each([
    ['no keys', []],
    ['a short key', [{ id: 'k1', key: randomBytes(16) }]],
    ['a long key', [{ id: 'k1', key: randomBytes(33) }]],
    ['an empty id', [key('')]],
    ['an id with a dot', [key('k.1')]],
    ['an id of 33 characters', [key('k'.repeat(33))]],
    ['a repeated id', [key('k1'), key('k1')]],
  ])('refuses %s', (_name, keys) => {
    expect(() => new FieldEncryption(keys)).toThrow(FieldKeyError);
  });

  it('accepts ids of 1 and 32 characters from the whole allowed alphabet', () => {
    expect(() => new FieldEncryption([key('a'), key('Az09_-'.padEnd(32, 'x'))])).not.toThrow();
  });
});

describe('parseFieldKeys', () => {
  const raw = randomBytes(32);

  it('keeps the order (current key first) and decodes standard or URL-safe base64, with or without padding', () => {
    const keys = parseFieldKeys(` a : ${b64(raw)} , b:${raw.toString('base64url')}`);
    expect(keys.map(({ id }) => id)).toEqual(['a', 'b']);
    expect(keys[0]!.key.equals(raw)).toBe(true);
    expect(keys[1]!.key.equals(raw)).toBe(true);
  });

  it.each([
    ['an empty setting', '', /entry 1 must look like kid:base64key/],
    ['a trailing comma', `a:${b64(raw)},`, /entry 2 must look like kid:base64key/],
    ['a missing key', 'a:', /entry 1/],
    ['a missing id', `:${b64(raw)}`, /entry 1/],
    ['an extra colon', `a:${b64(raw)}:x`, /entry 1/],
    ['a character outside base64', `a:${b64(raw).slice(0, -2)}!=`, /entry 1 \(key a\) is not valid base64/],
    ['a 31-byte key', `a:${b64(randomBytes(31))}`, /key a is 31 bytes; it must be exactly 32/],
    ['a 33-byte key', `a:${b64(randomBytes(33))}`, /key a is 33 bytes/],
    ['a bad id', `a b:${b64(raw)}`, /"a b" must be 1-32 letters/],
    ['a repeated id', `a:${b64(raw)},a:${b64(randomBytes(32))}`, /key id a appears twice/],
  ])('names the problem with %s', (_name, setting, message) => {
    expect(() => parseFieldKeys(setting)).toThrow(FieldKeyError);
    expect(() => parseFieldKeys(setting)).toThrow(message);
  });

  it('never echoes key material in its errors', () => {
    const short = b64(randomBytes(20));
    const error = thrown(() => parseFieldKeys(`a:${short}`));
    expect(error).toBeInstanceOf(FieldKeyError);
    expect(error.message).not.toContain(short);
  });

  it('reads what generateFieldKeySetting writes', () => {
    const [entry] = parseFieldKeys(generateFieldKeySetting('2026-11'));
    expect(entry!.id).toBe('2026-11');
    expect(entry!.key).toHaveLength(32);
    expect(() => generateFieldKeySetting('bad id')).toThrow(FieldKeyError);
  });
});

describe('deriveDevelopmentFieldKey', () => {
  it('is HKDF-SHA256(cookie key, no salt, info "tessera field encryption") under kid "dev"', () => {
    // RFC 5869 by hand: no salt means HashLen zero bytes; one 32-byte block T(1) = HMAC(PRK, info || 0x01).
    const prk = createHmac('sha256', Buffer.alloc(32)).update('cookie-secret').digest();
    const okm = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('tessera field encryption'), Buffer.from([1])])).digest();
    const derived = deriveDevelopmentFieldKey('cookie-secret');
    expect(derived.id).toBe('dev');
    expect(derived.key.equals(okm)).toBe(true);
  });

  it('gives a key FieldEncryption accepts', () => {
    const encryption = new FieldEncryption([deriveDevelopmentFieldKey('cookie-secret')]);
    expect(encryption.encrypt('s')).toMatch(/^v1\.dev\./);
  });
});
