/**
 * A security-relevant event. Never carries a password, token, code or secret: only who, what, to whom, from where.
 * Services emit each event once, where it happens; AuditTrail stores it in its company's hash chain.
 */
export type AuditEventType =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.locked'
  | 'mfa.enrolled'
  | 'mfa.disabled'
  | 'mfa.failed'
  | 'mfa.recovery_code_used'
  | 'password.changed'
  | 'password.reset_requested'
  | 'password.reset'
  | 'session.revoked'
  | 'sessions.revoked_all'
  /** The company a sign-in acts in; recorded in that company's trail. */
  | 'login.company_chosen'
  /** Token endpoint and grant revocation, in the trail of the company the grant acts in. */
  | 'token.issued'
  | 'token.refreshed'
  | 'token.revoked'
  /** A consumed code or a rotated refresh token was presented again: its grant is revoked (RFC 6749 §4.1.2, §10.4). */
  | 'token.reuse_detected'
  /** The user allowed a client what the consent page listed. */
  | 'consent.granted'
  /** A service exchanged a user's access token for one of its own (RFC 8693); the actor is that client. */
  | 'token.exchanged'
  /** Account deletion: requested (the account is disabled at once), then its personal data purged. */
  | 'account.deletion_requested'
  | 'account.purged'
  /** A role or membership change ended the grants that relied on it. */
  | 'access.revoked'
  /** A change through the admin API; details say which (`action`) and, without secrets, before and after. */
  | 'admin.changed';

export interface AuditEvent {
  type: AuditEventType;
  /** The company whose trail the event belongs to; events outside any company go to the platform trail. */
  tenantId?: string;
  /** The account the event is about (absent for an unknown email). */
  subject?: string;
  /** Who acted: the account itself, an admin, or the system. */
  actor?: string;
  /** What the event concerns besides the subject (a session, a client, a device). */
  resource?: string;
  ip?: string;
  userAgent?: string;
  /** Small, secret-free details (e.g. which factor, how many sessions). */
  details?: Record<string, string | number | boolean>;
}

export interface AuditRecorder {
  record(event: AuditEvent): Promise<void>;
}

/** Records events nobody waits for (written after the response); `onFailure` hears of one that was not stored. */
export interface BackgroundAuditRecorder {
  recordLater(event: AuditEvent, onFailure: (error: unknown) => void): void;
}

/** Where a request came from, for the trail. */
export interface RequestMeta {
  ip: string;
  userAgent?: string;
}
