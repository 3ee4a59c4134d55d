export {
  DecryptionError,
  deriveDevelopmentFieldKey,
  FieldEncryption,
  FieldKeyError,
  generateFieldKeySetting,
  parseFieldKeys,
  type DecryptionFailure,
  type FieldKey,
} from './field-encryption.js';
export { generateCookieKeys, generateSigningKey, generateSigningKeySet, type SigningAlgorithm } from './key-generation.js';
