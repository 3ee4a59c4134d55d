import type { Config, KeyMaterial } from '../config/index.js';
import type { KeyMaterialRepository } from '../storage/ports.js';
import { generateCookieKeys, generateSigningKeySet } from './key-generation.js';

/**
 * Configured keys win. Without them (development only; config refuses this in production) the first start
 * generates keys and keeps them in the store, so restarts keep sessions and tokens valid.
 */
export async function resolveKeyMaterial(config: Config, keyMaterial: KeyMaterialRepository): Promise<KeyMaterial> {
  if (config.keys) return config.keys;
  const stored = await keyMaterial.load();
  if (stored) return stored;
  return keyMaterial.saveIfAbsent({ jwks: generateSigningKeySet(), cookieKeys: generateCookieKeys() });
}
