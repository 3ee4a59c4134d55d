import type { AuditRecorder, RequestMeta } from '../audit/index.js';
import type { Mailer } from '../mail/index.js';
import type { AccountRecord } from '../storage/ports.js';
import { passwordChangedMail, passwordResetMail } from './account-mail.js';
import type { AccountService } from './account-service.js';
import { InvalidResetTokenError, type PasswordResetTokens } from './password-reset.js';

export interface PasswordManagementDependencies {
  accounts: AccountService;
  /** Checks the current password under the sign-in throttle (LoginService.reconfirmPassword). */
  confirmPassword(account: AccountRecord, password: unknown, meta: RequestMeta): Promise<void>;
  resetTokens: PasswordResetTokens;
  mailer: Mailer;
  audit: AuditRecorder;
  /** Ends every session and revokes every grant and refresh token of the account. */
  revokeAllAccess(accountId: string): Promise<void>;
  /** Names of the account's companies, counted as guessable words in a new password. */
  companyNamesOf(accountId: string): Promise<string[]>;
  resetLink(token: string): string;
  resetTtlSeconds: number;
  /** Mail that is sent after the answer (reset requests) reports failures here instead of to the caller. */
  onBackgroundError(error: unknown): void;
}

/**
 * Changing a password (knowing the current one) and resetting it (by a one-time mailed link). Either way every
 * session, grant and refresh token of the account is revoked, and the user is told by mail.
 */
export class PasswordManagement {
  constructor(private readonly deps: PasswordManagementDependencies) {}

  async change(account: AccountRecord, currentPassword: unknown, newPassword: unknown, meta: RequestMeta): Promise<void> {
    // Under the sign-in throttle: a stolen session must not become a way to guess the password without limit.
    await this.deps.confirmPassword(account, currentPassword, meta);
    await this.replace(account, newPassword);
    await this.deps.audit.record({ type: 'password.changed', subject: account.id, actor: account.id, ...meta });
  }

  /**
   * Mails a reset link when the email belongs to an enabled account, and does nothing otherwise. The caller
   * answers the same either way, and the lookup and mail happen after the answer so timing tells nothing.
   */
  requestReset(email: unknown, meta: RequestMeta): void {
    void this.sendResetLink(email, meta).catch((error: unknown) => this.deps.onBackgroundError(error));
  }

  /** The account a reset link is for, without spending it (to show the form). */
  async accountForReset(token: unknown): Promise<AccountRecord> {
    const accountId = await this.deps.resetTokens.peek(token);
    const account = accountId ? await this.deps.accounts.findById(accountId) : null;
    if (!account || account.disabled) throw new InvalidResetTokenError();
    return account;
  }

  async reset(token: unknown, newPassword: unknown, meta: RequestMeta): Promise<void> {
    const account = await this.accountForReset(token);
    // Check the new password before spending the link, so a refused password does not cost a new mail.
    await this.checkCandidate(account, newPassword);
    const accountId = await this.deps.resetTokens.redeem(token);
    if (accountId !== account.id) throw new InvalidResetTokenError();
    await this.replace(account, newPassword);
    await this.deps.audit.record({ type: 'password.reset', subject: account.id, actor: account.id, ...meta });
  }

  private async sendResetLink(email: unknown, meta: RequestMeta): Promise<void> {
    const account = await this.deps.accounts.findByEmail(email).catch(() => null);
    if (!account || account.disabled) return;
    const token = await this.deps.resetTokens.issue(account.id);
    await this.deps.audit.record({ type: 'password.reset_requested', subject: account.id, ...meta });
    await this.deps.mailer.send(
      passwordResetMail({
        to: account.email,
        resetUrl: this.deps.resetLink(token),
        expiresInMinutes: Math.round(this.deps.resetTtlSeconds / 60),
      }),
    );
  }

  private async checkCandidate(account: AccountRecord, password: unknown): Promise<void> {
    const companies = await this.deps.companyNamesOf(account.id);
    // setPassword runs the same check; running it first here keeps the link usable after a refusal.
    this.deps.accounts.checkPolicy(account, password, { tenantName: companies.join(' ') });
  }

  private async replace(account: AccountRecord, newPassword: unknown): Promise<void> {
    const companies = await this.deps.companyNamesOf(account.id);
    await this.deps.accounts.setPassword(account, newPassword, { tenantName: companies.join(' ') });
    await this.deps.revokeAllAccess(account.id);
    await this.deps.mailer.send(passwordChangedMail({ to: account.email, when: new Date() }));
  }
}
