import { z } from 'zod';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { memberOf, requireRoles, roleName, userIdParam, userView } from './members.js';

const rolesField = z.array(roleName).max(50);

/**
 * Memberships of the caller's company: add an existing account (by email) with roles, and replace a member's
 * direct roles, remove a member. Roles must exist in the company. Added roles apply at the member's next token;
 * removing a role or a member ends the member's grants in the company at once (AccessChanges).
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
        const added = roles.filter((role) => !membership.roles.includes(role));
        const removed = membership.roles.filter((role) => !roles.includes(role));
        if (added.length) await services.memberships.put({ ...membership, roles: [...membership.roles, ...added] });
        // Taking a role away also ends the member's grants in the company at once.
        for (const role of removed) await services.accessChanges.revokeRole(caller.companyId, account.id, role, { actor: caller.actor, ...meta });
        const kept = { ...membership, roles };
        await services.adminAudit.record(
          caller,
          { action: 'membership.roles_set', subject: account.id, before: { roles: membership.roles }, after: { roles } },
          meta,
        );
        return userView(account, kept);
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/memberships/:userId',
      summary: 'Remove a member from the company: out of its groups, and its grants in the company end at once',
      tag: 'memberships',
      scope: ADMIN_WRITE,
      params: userIdParam,
      async handle({ caller, params, meta }) {
        const { account, membership } = await memberOf(services, caller.companyId, params.userId);
        await services.accessChanges.removeMember(caller.companyId, account.id, { actor: caller.actor, ...meta });
        await services.adminAudit.record(caller, { action: 'membership.removed', subject: account.id, before: { roles: membership.roles } }, meta);
        return undefined;
      },
    }),
  ];
}
