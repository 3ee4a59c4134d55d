import type { AuditRecorder, RequestMeta } from '../audit/index.js';
import { revokeGrantArtifacts, type ActiveCompanies } from '../oidc/index.js';
import type { OidcArtifactStore, PermissionRecord } from '../storage/ports.js';
import { formatPermission } from './permission.js';

export interface AccessRevocationContext extends Partial<RequestMeta> {
  /** Who made the change (an admin's account id); absent for the CLI. */
  actor?: string;
}

/**
 * Ends, at once, the grants an access change made too generous: those of the affected accounts that act in the
 * company where the change happened. Their refresh tokens and opaque access tokens stop working now (JWT access
 * tokens cannot be recalled and die with their short lifetime); the next sign-in computes the scopes afresh.
 * Grants acting in another company are left alone. Grants with no recorded company (issued before companies were
 * chosen at sign-in) may act in any of the account's companies, so they end too.
 */
export class AccessRevocation {
  constructor(
    private readonly artifacts: OidcArtifactStore,
    private readonly companies: ActiveCompanies,
    private readonly audit: AuditRecorder,
  ) {}

  /** Returns how many grants ended. */
  async revokeInCompany(
    tenantId: string,
    accountIds: Iterable<string>,
    reason: string,
    context: AccessRevocationContext = {},
  ): Promise<number> {
    let revoked = 0;
    for (const accountId of new Set(accountIds)) {
      const grants = await this.artifacts.listByAccount('Grant', accountId);
      const inCompany = await Promise.all(
        grants.map(async (grant) => {
          const company = await this.companies.ofGrant(grant.id);
          return company === tenantId || company === undefined ? grant.id : null;
        }),
      );
      const ended = inCompany.filter((grantId): grantId is string => grantId !== null);
      await Promise.all(ended.map((grantId) => revokeGrantArtifacts(this.artifacts, grantId)));
      revoked += ended.length;
      const { actor, ...meta } = context;
      await this.audit.record({ type: 'access.revoked', tenantId, subject: accountId, actor, ...meta, details: { reason, grants: ended.length } });
    }
    return revoked;
  }
}

/** Whether `after` lacks some permission `before` had: only a loss of access needs grants ended at once. */
export function permissionsShrank(before: PermissionRecord[], after: PermissionRecord[]): boolean {
  const kept = new Set(after.map(formatPermission));
  return before.some((permission) => !kept.has(formatPermission(permission)));
}
