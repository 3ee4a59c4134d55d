import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** One AES-256 key and the id written into every value it encrypts, so the right key is found on decryption. */
export interface FieldKey {
  id: string;
  key: Buffer;
}

/** Why a stored value could not be decrypted; `unknown_key` usually means a key was dropped from the config. */
export type DecryptionFailure = 'malformed' | 'unknown_key' | 'authentication_failed';

/**
 * A stored value that cannot be decrypted: tampered, truncated, under an unknown key, or bound to another
 * record. Not a DomainError: it is never the client's fault, so the HTTP layer must treat it as a server fault.
 */
export class DecryptionError extends Error {
  constructor(
    readonly reason: DecryptionFailure,
    detail: string,
  ) {
    super(`cannot decrypt field: ${detail}`);
    this.name = 'DecryptionError';
  }
}

/** The key configuration is unusable; the message says which entry and why, never the key material. */
export class FieldKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldKeyError';
  }
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
/** 96-bit random IVs are GCM's native size; at 2^32 values per key the collision risk is still negligible. */
const IV_BYTES = 12;
/** Always the full tag: Node otherwise accepts tags as short as 4 bytes, which would make forgery cheap. */
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Standard or URL-safe base64 (Node decodes both alphabets); the decoded length is checked separately. */
const BASE64_ANY = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * AES-256-GCM for sensitive fields at rest (TOTP secrets, client secrets, PII). Each value names its key —
 * `v1.<kid>.<iv>.<ciphertext>.<tag>`, base64url parts — so keys rotate: the first key encrypts, every listed key
 * decrypts, and `needsReencryption` finds the values a migration should rewrite.
 *
 * The optional context (e.g. "totp:<account id>") is bound as GCM associated data: it is not stored, it must be
 * given again to decrypt, so a value copied onto another record fails there instead of being used as its own.
 * No context and the empty context are the same.
 */
export class FieldEncryption {
  private readonly current: FieldKey;
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(keys: FieldKey[]) {
    validateFieldKeys(keys);
    // Copies, so a caller that later reuses or zeroes its buffers cannot change what this instance holds.
    const copies = keys.map(({ id, key }) => ({ id, key: Buffer.from(key) }));
    this.current = copies[0]!;
    this.byId = new Map(copies.map(({ id, key }) => [id, key]));
  }

  encrypt(plaintext: string, context = ''): string {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, id, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
  }

  /** The plaintext, or a DecryptionError; never a partial or unauthenticated result. */
  decrypt(value: string, context = ''): string {
    const { id, iv, ciphertext, tag } = parseValue(value);
    const key = this.byId.get(id);
    if (!key) throw new DecryptionError('unknown_key', `unknown key id ${id}`);
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // GCM says only "does not authenticate": a wrong context, a wrong key and tampering look the same.
      throw new DecryptionError('authentication_failed', 'authentication failed (tampered, or another context)');
    }
  }

  /** True unless the value is a well-formed field under the current (first) key: old keys and plaintext alike. */
  needsReencryption(value: string): boolean {
    const [version, id] = value.split('.');
    return version !== VERSION || id !== this.current.id;
  }

  /** The id of the key that encrypts; every new value carries it. */
  get currentKeyId(): string {
    return this.current.id;
  }

  /**
   * For fields that were stored in clear before they were encrypted: the plaintext of an encrypted value, or the
   * value itself when it is not in the encrypted format at all. A value that is in the format but does not
   * decrypt still throws, so tampering is never mistaken for a legacy plaintext.
   */
  decryptOrLegacy(value: string, context = ''): string {
    return keyIdOf(value) === null ? value : this.decrypt(value, context);
  }
}

/** The key id an encrypted value names, or null when the value is not in the encrypted format (a plaintext). */
export function keyIdOf(value: string): string | null {
  try {
    return parseValue(value).id;
  } catch {
    return null;
  }
}

/**
 * Parses the `FIELD_ENCRYPTION_KEYS` setting: `kid1:base64key,kid2:base64key`, current key first. Each key is
 * 32 bytes in standard or URL-safe base64; ids are 1-32 of `A-Z a-z 0-9 _ -` and unique.
 */
export function parseFieldKeys(setting: string): FieldKey[] {
  const keys = setting.split(',').map((entry, index) => {
    const position = `FIELD_ENCRYPTION_KEYS entry ${index + 1}`;
    const parts = entry.split(':').map((part) => part.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new FieldKeyError(`${position} must look like kid:base64key`);
    }
    const [id, encoded] = parts as [string, string];
    // Node's decoder skips characters it does not know; refuse them, so a mangled key is not silently shortened.
    if (!BASE64_ANY.test(encoded)) throw new FieldKeyError(`${position} (key ${id}) is not valid base64`);
    return { id, key: Buffer.from(encoded, 'base64') };
  });
  validateFieldKeys(keys);
  return keys;
}

/**
 * Development only: a stable key derived from the cookie key (HKDF-SHA256), so a local server needs no extra
 * setting and still reads what it wrote before a restart. Production configures real keys instead.
 */
export function deriveDevelopmentFieldKey(cookieKey: string): FieldKey {
  return {
    id: 'dev',
    key: Buffer.from(hkdfSync('sha256', cookieKey, Buffer.alloc(0), 'tessera field encryption', KEY_BYTES)),
  };
}

/** A fresh `kid:base64key` entry for the setting (used by the CLI's key generation). */
export function generateFieldKeySetting(id = 'k1'): string {
  validateFieldKeys([{ id, key: Buffer.alloc(KEY_BYTES) }]);
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/** The rules every key list obeys, whether it comes from the setting or from code. */
function validateFieldKeys(keys: FieldKey[]): void {
  if (keys.length === 0) throw new FieldKeyError('at least one field encryption key is needed');
  const seen = new Set<string>();
  for (const { id, key } of keys) {
    if (!KEY_ID.test(id)) {
      throw new FieldKeyError(`key id ${JSON.stringify(id.slice(0, 40))} must be 1-32 letters, digits, _ or -`);
    }
    if (key.length !== KEY_BYTES) {
      throw new FieldKeyError(`key ${id} is ${key.length} bytes; it must be exactly ${KEY_BYTES}`);
    }
    if (seen.has(id)) throw new FieldKeyError(`key id ${id} appears twice; ids must be unique`);
    seen.add(id);
  }
}

/** Splits and checks a stored value; anything that is not exactly our format is `malformed`. */
function parseValue(value: string): { id: string; iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const parts = typeof value === 'string' ? value.split('.') : [];
  if (parts.length !== 5) throw new DecryptionError('malformed', 'not an encrypted field');
  const [version, id, ...encoded] = parts as [string, string, string, string, string];
  if (version !== VERSION || !KEY_ID.test(id) || !encoded.every((part) => BASE64URL.test(part))) {
    throw new DecryptionError('malformed', 'not an encrypted field');
  }
  const [iv, ciphertext, tag] = encoded.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError('malformed', 'wrong IV or tag length');
  return { id, iv, ciphertext, tag };
}
