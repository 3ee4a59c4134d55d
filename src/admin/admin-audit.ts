import type { AuditRecorder, RequestMeta } from '../audit/index.js';
import type { CompanyCaller, PlatformCaller } from './admin-route.js';

/** Never copied into the trail, whatever a record holds. */
const SECRET_FIELDS = new Set(['client_secret', 'passwordHash', 'password', 'totpSecret', 'recoveryCodeHashes', 'mfa']);

export interface AdminChange {
  /** What was done, `client.updated`, `user.disabled`. */
  action: string;
  /** The account the change concerns, when it concerns one. */
  subject?: string;
  /** The object changed: `client:<id>`, `role:<name>`. */
  resource?: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Records every admin change in the company's trail (the platform's for company creation): who (the token's
 * subject and client), what, before and after, never a secret.
 */
export class AdminAudit {
  constructor(private readonly audit: AuditRecorder) {}

  async record(caller: CompanyCaller | PlatformCaller, change: AdminChange, meta: RequestMeta, tenantId?: string): Promise<void> {
    await this.audit.record({
      type: 'admin.changed',
      tenantId: caller.kind === 'company' ? caller.companyId : tenantId,
      actor: caller.actor,
      ...(change.subject ? { subject: change.subject } : {}),
      ...(change.resource ? { resource: change.resource } : {}),
      ...meta,
      details: {
        action: change.action,
        client: caller.clientId,
        ...(change.before !== undefined ? { before: JSON.stringify(withoutSecrets(change.before)) } : {}),
        ...(change.after !== undefined ? { after: JSON.stringify(withoutSecrets(change.after)) } : {}),
      },
    });
  }
}

export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([name]) => !SECRET_FIELDS.has(name))
        .map(([name, field]) => [name, withoutSecrets(field)]),
    );
  }
  return value;
}
