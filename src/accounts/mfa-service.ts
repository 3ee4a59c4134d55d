import type { AuditRecorder, RequestMeta } from '../audit/index.js';
import type { FieldEncryption } from '../crypto/index.js';
import type { AccountRecord, AccountRepository, SecurityCounters } from '../storage/ports.js';
import { InvalidSecondFactorError } from './errors.js';
import { generateRecoveryCodes, matchRecoveryCode } from './recovery-codes.js';
import { generateTotpSecret, totpQrDataUrl, totpUri, verifyTotp } from './totp.js';

export type SecondFactor = 'totp' | 'recovery-code';

/** Where a request came from, and the company whose audit trail its events belong in (absent: the platform's). */
export type AuditedRequest = RequestMeta & { tenantId?: string };

/** A used time step is remembered a little longer than the ±1 step window in which it could be replayed. */
const USED_STEP_MEMORY_SECONDS = 3 * 30 + 30;

/**
 * TOTP (RFC 6238) as the second factor, with ten single-use recovery codes. Secrets are stored encrypted and
 * bound to their account (AES-GCM associated data), so a secret copied onto another account's row is useless.
 */
export class MfaService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly encryption: FieldEncryption,
    private readonly counters: SecurityCounters,
    private readonly issuerName: string,
    private readonly audit: AuditRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh secret for an enrolment; nothing is stored until the first code confirms it. */
  newSecret(): string {
    return generateTotpSecret();
  }

  /** The QR code (PNG data: URL) an authenticator app scans to add this secret. */
  enrolmentQr(account: AccountRecord, secret: string): Promise<string> {
    return totpQrDataUrl(totpUri({ secret, accountName: account.email, issuer: this.issuerName }));
  }

  /** Checks the first code from the new authenticator, then stores it; returns the recovery codes (shown once). */
  async confirmEnrolment(account: AccountRecord, secret: string, code: unknown, meta?: AuditedRequest): Promise<string[]> {
    const step = typeof code === 'string' ? verifyTotp(secret, code, this.now()) : null;
    if (step === null || !(await this.claimStep(account.id, step))) throw new InvalidSecondFactorError();
    const { codes, hashes } = generateRecoveryCodes();
    const current = (await this.accounts.findById(account.id)) ?? account;
    await this.accounts.update({
      ...current,
      mfa: {
        totpSecret: this.encryption.encrypt(secret, secretContext(account.id)),
        recoveryCodeHashes: hashes,
        enrolledAt: new Date(this.now()),
      },
      updatedAt: new Date(this.now()),
    });
    await this.audit.record({ type: 'mfa.enrolled', subject: account.id, actor: account.id, ...meta });
    return codes;
  }

  /** Accepts a current TOTP code (once per time step) or an unused recovery code (then spent). */
  async verify(account: AccountRecord, code: unknown, meta?: AuditedRequest): Promise<SecondFactor> {
    if (!account.mfa || typeof code !== 'string') throw new InvalidSecondFactorError();
    const secret = this.encryption.decrypt(account.mfa.totpSecret, secretContext(account.id));
    const step = verifyTotp(secret, code, this.now());
    if (step !== null) {
      if (!(await this.claimStep(account.id, step))) throw new InvalidSecondFactorError();
      return 'totp';
    }
    const index = matchRecoveryCode(code, account.mfa.recoveryCodeHashes);
    if (index < 0) throw new InvalidSecondFactorError();
    // Claimed like a TOTP step so two concurrent sign-ins cannot both spend the same recovery code.
    if (!(await this.counters.claimOnce(`recovery:${account.id}:${account.mfa.recoveryCodeHashes[index]}`, 24 * 3600))) {
      throw new InvalidSecondFactorError();
    }
    const remaining = account.mfa.recoveryCodeHashes.filter((_hash, position) => position !== index);
    await this.accounts.update({
      ...account,
      mfa: { ...account.mfa, recoveryCodeHashes: remaining },
      updatedAt: new Date(this.now()),
    });
    await this.audit.record({
      type: 'mfa.recovery_code_used',
      subject: account.id,
      ...meta,
      details: { remaining: remaining.length },
    });
    return 'recovery-code';
  }

  async disable(account: AccountRecord, meta?: RequestMeta): Promise<AccountRecord> {
    const updated = { ...account, mfa: null, updatedAt: new Date(this.now()) };
    await this.accounts.update(updated);
    await this.audit.record({ type: 'mfa.disabled', subject: account.id, actor: account.id, ...meta });
    return updated;
  }

  /** A code is accepted once, even inside its time step: the first caller claims the step. */
  private claimStep(accountId: string, step: number): Promise<boolean> {
    return this.counters.claimOnce(`totp:${accountId}:${step}`, USED_STEP_MEMORY_SECONDS);
  }
}

function secretContext(accountId: string): string {
  return `totp:${accountId}`;
}
