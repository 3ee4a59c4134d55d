export {
  DecryptionError,
  deriveDevelopmentFieldKey,
  FieldEncryption,
  FieldKeyError,
  generateFieldKeySetting,
  keyIdOf,
  parseFieldKeys,
  type DecryptionFailure,
  type FieldKey,
} from './field-encryption.js';
export { fieldContext } from './field-contexts.js';
export { formatFieldKeySetting, rotateFieldKeys, type FieldKeyRotation } from './field-key-rotation.js';
export {
  FieldReencryption,
  PLAINTEXT,
  type FieldReencryptionOptions,
  type KeyUsage,
  type ReencryptionReport,
} from './field-reencryption.js';
export {
  ArtifactReencryptionCheckpoints,
  type ReencryptionCheckpoint,
  type ReencryptionCheckpoints,
} from './reencryption-checkpoints.js';
export { generateCookieKeys, generateSigningKey, generateSigningKeySet, type SigningAlgorithm } from './key-generation.js';
export { canSignWith, missingSigningAlgorithms, SIGNING_ALGORITHMS } from './signing-algorithms.js';
