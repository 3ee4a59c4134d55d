import type { AuditRecorder, RequestMeta } from '../audit/index.js';
import type { AuditedRequest } from './mfa-service.js';
import type { AccountRecord } from '../storage/ports.js';
import type { AccountService } from './account-service.js';
import { AccountLockedError, InvalidCredentialsError, InvalidSecondFactorError } from './errors.js';
import type { LoginThrottle } from './lockout.js';
import type { MfaService, SecondFactor } from './mfa-service.js';
import type { PasswordHasher } from './password-hasher.js';

/** What the sign-in is for, as far as the request says: which company's audit trail its events belong in. */
export interface SignInContext {
  clientId?: string;
  /** The company slug the client asked for (`tenant`, or a `tenant:` login hint). */
  requestedCompany?: string;
}

/**
 * The company a sign-in of this account will act in, when the request and the account's memberships already tell
 * (undefined: not known, e.g. no company, or a chooser still to come); its events then go to that company's trail.
 */
export type SignInCompany = (accountId: string, context: SignInContext) => Promise<string | undefined>;

/** What has to happen after a correct password. */
export type PasswordOutcome =
  | { next: 'done'; account: AccountRecord }
  | { next: 'second-factor'; account: AccountRecord }
  | { next: 'enrol-second-factor'; account: AccountRecord };

/**
 * Sign-in as a sequence: password (throttled), then the second factor when the account has one or a company
 * demands one. Failures of either step count toward the lockout; only a completed sign-in forgives them, so
 * knowing the password does not reset the budget for guessing TOTP codes.
 */
export class LoginService {
  constructor(
    private readonly accounts: AccountService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly mfa: MfaService,
    private readonly mfaRequiredFor: (accountId: string) => Promise<boolean>,
    private readonly audit: AuditRecorder,
    private readonly companyOf: SignInCompany = async () => undefined,
  ) {}

  /**
   * Every event of a sign-in (success, failure, lockout, second-factor events) is recorded once, in the trail of
   * the company the sign-in acts in when that is known by now, else in the platform trail.
   */
  async checkPassword(email: unknown, password: unknown, meta: RequestMeta, context: SignInContext = {}): Promise<PasswordOutcome> {
    const emailKey = typeof email === 'string' ? email : '';
    const retryAfter = await this.throttle.retryAfter(emailKey, meta.ip);
    if (retryAfter > 0) {
      // A blocked attempt costs what a real one does, so timing cannot tell blocked from unknown.
      await this.hasher.verifyAgainstNothing(typeof password === 'string' ? password : '');
      const known = await this.accounts.findByEmail(emailKey).catch(() => null);
      const tenantId = known ? await this.companyOf(known.id, context) : undefined;
      await this.audit.record({ type: 'login.locked', subject: known?.id, tenantId, ...meta, details: { retryAfterSeconds: retryAfter } });
      throw new AccountLockedError(retryAfter);
    }
    let account: AccountRecord;
    try {
      account = await this.accounts.authenticate(email, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        await this.throttle.recordFailure(emailKey, meta.ip);
        const known = await this.accounts.findByEmail(emailKey).catch(() => null);
        const tenantId = known ? await this.companyOf(known.id, context) : undefined;
        await this.audit.record({ type: 'login.failed', subject: known?.id, tenantId, ...meta, details: { step: 'password' } });
      }
      throw error;
    }
    if (account.mfa) return { next: 'second-factor', account };
    if (await this.mfaRequiredFor(account.id)) return { next: 'enrol-second-factor', account };
    await this.succeeded(account, await this.inCompany(account, meta, context), 'pwd');
    return { next: 'done', account };
  }

  /**
   * The password again, before something that cannot be undone (deleting the account). Under the sign-in throttle:
   * whoever holds a session or token cannot guess the password faster here than on the login page.
   */
  async reconfirmPassword(account: AccountRecord, password: unknown, meta: RequestMeta): Promise<void> {
    const retryAfter = await this.throttle.retryAfter(account.email, meta.ip);
    if (retryAfter > 0) throw new AccountLockedError(retryAfter);
    try {
      await this.accounts.verifyPassword(account, password);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) await this.throttle.recordFailure(account.email, meta.ip);
      throw error;
    }
  }

  /** The second step: a TOTP code or a recovery code. */
  async checkSecondFactor(account: AccountRecord, code: unknown, meta: RequestMeta, context: SignInContext = {}): Promise<SecondFactor> {
    const audited = await this.inCompany(account, meta, context);
    return this.secondStep(account, audited, () => this.mfa.verify(account, code, audited));
  }

  /** Enrolment during sign-in: a correct first code both confirms the authenticator and completes the sign-in. */
  async completeEnrolment(account: AccountRecord, secret: string, code: unknown, meta: RequestMeta, context: SignInContext = {}): Promise<string[]> {
    const audited = await this.inCompany(account, meta, context);
    return this.secondStep(account, audited, () => this.mfa.confirmEnrolment(account, secret, code, audited));
  }

  private async inCompany(account: AccountRecord, meta: RequestMeta, context: SignInContext): Promise<AuditedRequest> {
    return { ...meta, tenantId: await this.companyOf(account.id, context) };
  }

  /** A second-factor step under the same throttle as passwords; success completes the sign-in. */
  private async secondStep<T>(account: AccountRecord, meta: AuditedRequest, step: () => Promise<T>): Promise<T> {
    const retryAfter = await this.throttle.retryAfter(account.email, meta.ip);
    if (retryAfter > 0) {
      await this.audit.record({ type: 'login.locked', subject: account.id, ...meta, details: { retryAfterSeconds: retryAfter } });
      throw new AccountLockedError(retryAfter);
    }
    try {
      const result = await step();
      await this.succeeded(account, meta, 'otp');
      return result;
    } catch (error) {
      if (error instanceof InvalidSecondFactorError) {
        await this.throttle.recordFailure(account.email, meta.ip);
        await this.audit.record({ type: 'mfa.failed', subject: account.id, ...meta });
      }
      throw error;
    }
  }

  private async succeeded(account: AccountRecord, meta: AuditedRequest, factor: string): Promise<void> {
    await this.throttle.recordSuccess(account.email, meta.ip);
    await this.audit.record({ type: 'login.succeeded', subject: account.id, actor: account.id, ...meta, details: { factor } });
  }
}
