import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface FieldKey {
  id: string;
  key: Buffer;
}

/** A stored value that cannot be decrypted: tampered, truncated, under an unknown key, or for another record. */
export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt field: ${reason}`);
    this.name = 'DecryptionError';
  }
}

/** The configuration value is malformed; the message says how. */
export class FieldKeyError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'FieldKeyError';
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * AES-256-GCM for sensitive fields at rest. The output names its key (`v1.<kid>.<iv>.<ciphertext>.<tag>`), so
 * keys rotate: the first key encrypts, every listed key decrypts, and `needsReencryption` finds old values.
 * An optional context (e.g. "totp:<account id>") is bound as associated data: a value copied onto another
 * record does not decrypt there.
 */
export class FieldEncryption {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: FieldKey[]) {
    if (keys.length === 0) throw new FieldKeyError('at least one key is needed');
    for (const { id, key } of keys) {
      if (!KEY_ID.test(id)) throw new FieldKeyError(`key id ${JSON.stringify(id)} must be 1-32 letters, digits, _ or -`);
      if (key.length !== 32) throw new FieldKeyError(`key ${id} must be exactly 32 bytes`);
    }
    this.byId = new Map(keys.map(({ id, key }) => [id, key]));
    if (this.byId.size !== keys.length) throw new FieldKeyError('key ids must be unique');
  }

  encrypt(plaintext: string, context = ''): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, id, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  decrypt(value: string, context = ''): string {
    const [version, id, iv, ciphertext, tag, ...rest] = value.split('.');
    if (version !== VERSION || rest.length || !id || iv === undefined || ciphertext === undefined || !tag) {
      throw new DecryptionError('not an encrypted field');
    }
    const key = this.byId.get(id);
    if (!key) throw new DecryptionError(`unknown key id ${id}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError('authentication failed');
    }
  }

  /** True when the value is not under the current (first) key. */
  needsReencryption(value: string): boolean {
    return value.split('.')[1] !== this.keys[0]!.id;
  }
}

/** Parses `kid:base64key,kid2:base64key` (each key 32 bytes). */
export function parseFieldKeys(setting: string): FieldKey[] {
  const keys = setting.split(',').map((entry) => {
    const [id, encoded, ...rest] = entry.trim().split(':');
    if (!id || !encoded || rest.length) throw new FieldKeyError('each key must look like kid:base64key');
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32) throw new FieldKeyError(`key ${id} must decode to exactly 32 bytes`);
    return { id, key };
  });
  new FieldEncryption(keys); // validates ids and uniqueness
  return keys;
}

/** Development only: a stable key derived from the cookie key, so no extra setting is needed locally. */
export function deriveDevelopmentFieldKey(cookieKey: string): FieldKey {
  return { id: 'dev', key: Buffer.from(hkdfSync('sha256', cookieKey, '', 'tessera field encryption', 32)) };
}

export function generateFieldKeySetting(id = 'k1'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
