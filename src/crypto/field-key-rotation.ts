import { generateFieldKeySetting, type FieldKey } from './field-encryption.js';

/** What the rotation command prints: the settings to deploy, and which key they make current. */
export interface FieldKeyRotation {
  /**
   * For a deployment of several instances, deployed everywhere first: the new key last, so every instance can
   * read it before any instance writes with it (an instance that cannot read a value fails on it).
   */
  readableSetting: string;
  /** The new `FIELD_ENCRYPTION_KEYS` value: the new key first (it encrypts), every old key after it (they decrypt). */
  setting: string;
  currentKeyId: string;
  /** Still needed to read values until the re-encryption has rewritten them; removable after it. */
  previousKeyIds: string[];
}

/**
 * A new current key in front of the configured ones. Nothing is written anywhere: keys live in the configuration,
 * so the operator deploys the printed settings to every instance (first the one that only adds the key, when
 * several instances run), and the re-encryption then moves each stored value to the new key.
 */
export function rotateFieldKeys(keys: readonly FieldKey[]): FieldKeyRotation {
  const currentKeyId = nextFieldKeyId(keys);
  const newKey = generateFieldKeySetting(currentKeyId);
  const oldKeys = formatFieldKeySetting(keys);
  return {
    readableSetting: [oldKeys, newKey].join(','),
    setting: [newKey, oldKeys].join(','),
    currentKeyId,
    previousKeyIds: keys.map((key) => key.id),
  };
}

/** The setting that reproduces these keys, in this order. */
export function formatFieldKeySetting(keys: readonly FieldKey[]): string {
  return keys.map(({ id, key }) => `${id}:${key.toString('base64')}`).join(',');
}

/** `k<n>`, one past the highest `k<n>` in use, so ids never repeat and show the order of rotations. */
function nextFieldKeyId(keys: readonly FieldKey[]): string {
  const numbers = keys.map(({ id }) => /^k(\d{1,9})$/.exec(id)?.[1]).filter((n): n is string => n !== undefined);
  return `k${Math.max(0, ...numbers.map(Number)) + 1}`;
}
