export { AccountService, normalizeEmail, type NewAccount } from './account-service.js';
export { AccountLockedError, InvalidCredentialsError, InvalidSecondFactorError, WeakPasswordError } from './errors.js';
export { DEFAULT_LOCKOUT_POLICY, LoginThrottle, type LockoutPolicy } from './lockout.js';
export { LoginService, type PasswordOutcome, type SignInCompany, type SignInContext } from './login-service.js';
export { MfaService, type SecondFactor } from './mfa-service.js';
export { DEFAULT_ARGON2_PARAMETERS, PasswordHasher, type Argon2Parameters } from './password-hasher.js';
export {
  checkPasswordLength,
  MAX_PASSWORD_BYTES,
  MIN_PASSWORD_LENGTH,
  type PasswordContext,
  type PasswordPolicy,
} from './password-policy.js';
export { MIN_GUESSES, StrengthPasswordPolicy } from './strength-policy.js';
export { passwordChangedMail, passwordResetMail } from './account-mail.js';
export { PasswordManagement, type PasswordManagementDependencies } from './password-management.js';
export { InvalidResetTokenError, PasswordResetTokens } from './password-reset.js';
export {
  AccountDeletion,
  PURGED_PASSWORD_HASH,
  schedulePurge,
  tombstoneEmail,
  type AccountDeletionDependencies,
  type DeletionRequestContext,
} from './account-deletion.js';
