import { z } from 'zod';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { memberOf, requireRoles, roleName, userIdParam, userView } from './members.js';

const rolesField = z.array(roleName).max(50);

/**
 * Memberships of the caller's company: add an existing account (by email) with roles, and replace a member's
 * direct roles. Roles must exist in the company. A role change applies at the member's next token.
 */
export function membershipRoutes(services: AdminServices): AdminRoute[] {
  return [
    companyRoute({
      method: 'post',
      path: '/memberships',
      summary: 'Add an existing account to the company',
      tag: 'memberships',
      scope: ADMIN_WRITE,
      body: z.strictObject({ email: z.email().max(254), roles: rolesField.default([]) }),
      successStatus: 201,
      async handle({ caller, body, meta }) {
        const account = await services.accounts.findByEmail(body.email);
        if (!account) throw new NotFoundError('no account with this email: invite the user through /users');
        if (await services.memberships.find(caller.companyId, account.id)) throw new ConflictError('the account is already a member');
        await requireRoles(services, caller.companyId, body.roles);
        const membership = await services.tenants.addMember(caller.companyId, account.id, body.roles);
        await services.adminAudit.record(caller, { action: 'membership.added', subject: account.id, after: { roles: membership.roles } }, meta);
        return userView(account, membership);
      },
    }),
    companyRoute({
      method: 'put',
      path: '/memberships/:userId/roles',
      summary: 'Replace a member\'s direct roles (effective at their next token)',
      tag: 'memberships',
      scope: ADMIN_WRITE,
      params: userIdParam,
      body: z.strictObject({ roles: rolesField }),
      async handle({ caller, params, body, meta }) {
        const { account, membership } = await memberOf(services, caller.companyId, params.userId);
        await requireRoles(services, caller.companyId, body.roles);
        const roles = [...new Set(body.roles)];
        const kept = { ...membership, roles };
        await services.memberships.put(kept);
        await services.adminAudit.record(
          caller,
          { action: 'membership.roles_set', subject: account.id, before: { roles: membership.roles }, after: { roles } },
          meta,
        );
        return userView(account, kept);
      },
    }),
  ];
}
