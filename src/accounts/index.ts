export { AccountService, normalizeEmail, type NewAccount } from './account-service.js';
export { InvalidCredentialsError, WeakPasswordError } from './errors.js';
export { DEFAULT_ARGON2_PARAMETERS, PasswordHasher, type Argon2Parameters } from './password-hasher.js';
export {
  checkPasswordLength,
  MAX_PASSWORD_BYTES,
  MIN_PASSWORD_LENGTH,
  type PasswordContext,
  type PasswordPolicy,
} from './password-policy.js';
export { MIN_GUESSES, StrengthPasswordPolicy } from './strength-policy.js';
