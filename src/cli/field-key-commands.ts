import type { Tessera } from '../app.js';
import { PLAINTEXT, rotateFieldKeys, type KeyUsage } from '../crypto/index.js';
import { createLogger } from '../observability/logger.js';
import type { ParsedCommand } from './commands.js';

/**
 * Field encryption key rotation, in three steps: `keys rotate-field-key` prints a setting with a new current key in
 * front of the old ones; once every instance runs with it, they move the stored fields to the new key in the
 * background, and `keys reencrypt` does the same to completion in the foreground and says whether the old keys
 * are still used; `keys field-usage` only counts.
 */
export const FIELD_KEY_COMMANDS: Record<string, (tessera: Tessera, command: ParsedCommand) => Promise<unknown>> = {
  'keys rotate-field-key': async (tessera) => {
    const rotation = rotateFieldKeys(tessera.fieldKeys);
    return {
      FIELD_ENCRYPTION_KEYS: rotation.setting,
      currentKeyId: rotation.currentKeyId,
      previousKeyIds: rotation.previousKeyIds,
      // Several instances: each must be able to read the new key before any of them writes with it.
      readFirst: rotation.readableSetting,
      next:
        'with several instances, first deploy readFirst to all of them; then set FIELD_ENCRYPTION_KEYS to the ' +
        'value above everywhere; then run `keys reencrypt` and drop a previous key once it reports oldKeysInUse: []',
    };
  },

  'keys reencrypt': async (tessera) => {
    // Progress goes to stderr at the configured level, so stdout stays one JSON document.
    const progress = createLogger(tessera.config.logLevel, process.stderr);
    const report = await tessera.fieldReencryption.runToCompletion(progress);
    return { ...report, ...(await usageReport(tessera)) };
  },

  'keys field-usage': async (tessera) => usageReport(tessera),
};

interface UsageReport {
  currentKeyId: string;
  keyUsage: KeyUsage;
  /** Old key ids (and 'plaintext') some stored field still uses: these keys cannot be dropped yet. */
  oldKeysInUse: string[];
}

async function usageReport(tessera: Tessera): Promise<UsageReport> {
  const currentKeyId = tessera.fieldKeys[0]!.id;
  const keyUsage = await tessera.fieldReencryption.keyUsage();
  const used = new Set(Object.values(keyUsage).flatMap((byKey) => Object.keys(byKey)));
  const oldKeysInUse = tessera.fieldKeys.map((key) => key.id).filter((id) => id !== currentKeyId && used.has(id));
  // Plaintext left over from before encryption counts too: it is what the re-encryption exists to remove.
  if (used.has(PLAINTEXT)) oldKeysInUse.push(PLAINTEXT);
  return { currentKeyId, keyUsage, oldKeysInUse };
}
