import { randomUUID } from 'node:crypto';
import { ValidationError } from '../shared/errors.js';
import type { AccountRecord, AccountRepository } from '../storage/ports.js';
import { InvalidCredentialsError } from './errors.js';
import type { PasswordHasher } from './password-hasher.js';
import { MAX_PASSWORD_BYTES, type PasswordContext, type PasswordPolicy } from './password-policy.js';

export interface NewAccount {
  email: string;
  name?: string | null;
  password: string;
}

/** Pragmatic RFC 5321 shape: one @, something on each side, no spaces; real proof is a verification mail. */
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export function normalizeEmail(email: unknown): string {
  if (typeof email !== 'string' || !EMAIL_PATTERN.test(email.trim())) {
    throw new ValidationError('email must be an email address', 'email');
  }
  return email.trim().toLowerCase();
}

export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(input: NewAccount, context: PasswordContext = {}): Promise<AccountRecord> {
    const email = normalizeEmail(input.email);
    const name = input.name?.trim() || null;
    this.policy.check(input.password, { ...context, email, name });
    const now = this.now();
    const account: AccountRecord = {
      id: randomUUID(),
      email,
      name,
      passwordHash: await this.hasher.hash(input.password),
      mfa: null,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.accounts.create(account);
    return account;
  }

  findById(id: string): Promise<AccountRecord | null> {
    return this.accounts.findById(id);
  }

  async findByEmail(email: unknown): Promise<AccountRecord | null> {
    return this.accounts.findByEmail(normalizeEmail(email));
  }

  /** Checks the new password against the policy and stores its hash. The caller revokes access and notifies. */
  async setPassword(account: AccountRecord, password: unknown, context: PasswordContext = {}): Promise<AccountRecord> {
    const checked = this.checkPolicy(account, password, context);
    const updated = { ...account, passwordHash: await this.hasher.hash(checked), updatedAt: this.now() };
    await this.accounts.update(updated);
    return updated;
  }

  /** Blocks or unblocks sign-in. Disabling does not end existing access by itself; the caller revokes it. */
  async setDisabled(account: AccountRecord, disabled: boolean): Promise<AccountRecord> {
    const updated = { ...account, disabled, updatedAt: this.now() };
    await this.accounts.update(updated);
    return updated;
  }

  /** Throws WeakPasswordError (with feedback) unless the password may be this account's; returns it typed. */
  checkPolicy(account: AccountRecord, password: unknown, context: PasswordContext = {}): string {
    if (typeof password !== 'string') throw new ValidationError('password must be a string', 'password');
    this.policy.check(password, { ...context, email: account.email, name: account.name });
    return password;
  }

  /** Proves the caller knows the account's current password (for changing it, or removing the second factor). */
  async verifyPassword(account: AccountRecord, password: unknown): Promise<void> {
    const valid =
      typeof password === 'string' &&
      Buffer.byteLength(password) <= MAX_PASSWORD_BYTES &&
      (await this.hasher.verify(account.passwordHash, password));
    if (!valid) throw new InvalidCredentialsError();
  }

  /**
   * Checks an email and password. Unknown email, disabled account and wrong password all cost one Argon2id
   * verification and end in the same InvalidCredentialsError.
   */
  async authenticate(email: unknown, password: unknown): Promise<AccountRecord> {
    // Too long to hash safely: it cannot be anyone's password, whether or not the account exists.
    if (typeof password !== 'string' || password.length === 0 || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
      throw new InvalidCredentialsError();
    }
    let normalized: string;
    try {
      normalized = normalizeEmail(email);
    } catch {
      await this.hasher.verifyAgainstNothing(password);
      throw new InvalidCredentialsError();
    }
    const account = await this.accounts.findByEmail(normalized);
    if (!account) {
      await this.hasher.verifyAgainstNothing(password);
      throw new InvalidCredentialsError();
    }
    const valid = await this.hasher.verify(account.passwordHash, password);
    if (!valid || account.disabled) throw new InvalidCredentialsError();
    if (this.hasher.needsRehash(account.passwordHash)) {
      const upgraded = { ...account, passwordHash: await this.hasher.hash(password), updatedAt: this.now() };
      await this.accounts.update(upgraded);
      return upgraded;
    }
    return account;
  }
}
