import { WeakPasswordError } from './errors.js';

export const MIN_PASSWORD_LENGTH = 8;
/** Refused before hashing: Argon2 would accept more, but nobody types this much and it invites CPU abuse. */
export const MAX_PASSWORD_BYTES = 1024;

/** Context the strength check counts as dictionary words (a password made of your own email is guessable). */
export interface PasswordContext {
  email?: string;
  name?: string | null;
  tenantName?: string;
}

export interface PasswordPolicy {
  /** Throws WeakPasswordError with feedback when the password may not be used. */
  check(password: string, context: PasswordContext): void;
}

/** Length bounds only; the strength estimator wraps this. */
export function checkPasswordLength(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new WeakPasswordError(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    throw new WeakPasswordError(`Use at most ${MAX_PASSWORD_BYTES} bytes.`);
  }
}
