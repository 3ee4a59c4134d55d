export {
  DecryptionError,
  deriveDevelopmentFieldKey,
  FieldEncryption,
  FieldKeyError,
  generateFieldKeySetting,
  parseFieldKeys,
  type FieldKey,
} from './field-encryption.js';
export { generateCookieKeys, generateSigningKey, generateSigningKeySet, type SigningAlgorithm } from './key-generation.js';
