import { generateFieldKeySetting, type FieldKey } from './field-encryption.js';

/** What the rotation command prints: the setting to deploy, and which key it makes current. */
export interface FieldKeyRotation {
  /** The new `FIELD_ENCRYPTION_KEYS` value: the new key first (it encrypts), every old key after it (they decrypt). */
  setting: string;
  currentKeyId: string;
  /** Still needed to read values until the re-encryption has rewritten them; removable after it. */
  previousKeyIds: string[];
}

/**
 * A new current key in front of the configured ones. Nothing is written anywhere: keys live in the configuration,
 * so the operator deploys the printed setting to every instance, and the re-encryption then moves each stored
 * value to the new key.
 */
export function rotateFieldKeys(keys: readonly FieldKey[]): FieldKeyRotation {
  const currentKeyId = nextFieldKeyId(keys);
  return {
    setting: [generateFieldKeySetting(currentKeyId), formatFieldKeySetting(keys)].join(','),
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
