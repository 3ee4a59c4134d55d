import { z } from 'zod';
import { formatPermission } from '../permissions/index.js';
import { NotFoundError } from '../shared/errors.js';
import type { RoleRecord } from '../storage/ports.js';
import { ADMIN_READ, ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { roleName } from './members.js';
import { pageByKey, pageQuery } from './pagination.js';

/** Permissions as the CLI writes them, one per entry: `devices:read`, `device dev_123: devices:vnc`. */
const permissionsField = z.array(z.string().min(1).max(400)).max(200);
const nameParam = z.strictObject({ name: roleName });

function roleView(role: RoleRecord) {
  return { id: role.id, name: role.name, permissions: role.permissions.map(formatPermission), created_at: role.createdAt };
}

/**
 * The company's roles: list, read, create, replace permissions, delete. Added permissions apply at each holder's
 * next token; a narrowed or deleted role ends its holders' grants in the company at once (AccessChanges).
 */
export function roleRoutes(services: AdminServices): AdminRoute[] {
  const find = async (companyId: string, name: string) => {
    const role = (await services.accessControl.listRoles(companyId)).find((each) => each.name === name);
    if (!role) throw new NotFoundError('the company has no such role');
    return role;
  };
  return [
    companyRoute({
      method: 'get',
      path: '/roles',
      summary: 'The company\'s roles, by name',
      tag: 'roles',
      scope: ADMIN_READ,
      query: z.strictObject(pageQuery),
      async handle({ caller, query }) {
        const page = pageByKey(await services.accessControl.listRoles(caller.companyId), (role) => role.name, query);
        return { items: page.items.map(roleView), next_cursor: page.next_cursor };
      },
    }),
    companyRoute({
      method: 'get',
      path: '/roles/:name',
      summary: 'One role',
      tag: 'roles',
      scope: ADMIN_READ,
      params: nameParam,
      async handle({ caller, params }) {
        return roleView(await find(caller.companyId, params.name));
      },
    }),
    companyRoute({
      method: 'post',
      path: '/roles',
      summary: 'Create a role',
      tag: 'roles',
      scope: ADMIN_WRITE,
      body: z.strictObject({ name: roleName, permissions: permissionsField }),
      successStatus: 201,
      async handle({ caller, body, meta }) {
        const role = roleView(await services.accessControl.createRole(caller.companyId, body.name, body.permissions.join(';')));
        await services.adminAudit.record(caller, { action: 'role.created', resource: `role:${role.name}`, after: role }, meta);
        return role;
      },
    }),
    companyRoute({
      method: 'put',
      path: '/roles/:name/permissions',
      summary: 'Replace a role\'s permissions; when any is taken away, every holder\'s grants in the company end at once',
      tag: 'roles',
      scope: ADMIN_WRITE,
      params: nameParam,
      body: z.strictObject({ permissions: permissionsField }),
      async handle({ caller, params, body, meta }) {
        const before = roleView(await find(caller.companyId, params.name));
        const after = roleView(
          await services.accessChanges.setRolePermissions(caller.companyId, params.name, body.permissions.join(';'), { actor: caller.actor, ...meta }),
        );
        await services.adminAudit.record(caller, { action: 'role.permissions_set', resource: `role:${after.name}`, before, after }, meta);
        return after;
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/roles/:name',
      summary: 'Delete a role: taken from every member and group holding it (their grants in the company end at once)',
      tag: 'roles',
      scope: ADMIN_WRITE,
      params: nameParam,
      async handle({ caller, params, meta }) {
        const role = await find(caller.companyId, params.name);
        const context = { actor: caller.actor, ...meta };
        // Taken away first, so a role created later under the same name grants nothing to the old holders.
        for (const membership of await services.memberships.listByRole(caller.companyId, role.name)) {
          await services.accessChanges.revokeRole(caller.companyId, membership.accountId, role.name, context);
        }
        for (const group of await services.accessControl.listGroups(caller.companyId)) {
          if (group.roleNames.includes(role.name)) await services.accessChanges.removeGroupRole(caller.companyId, group.name, role.name, context);
        }
        await services.roleRecords.delete(caller.companyId, role.name);
        await services.adminAudit.record(caller, { action: 'role.deleted', resource: `role:${role.name}`, before: roleView(role) }, meta);
        return undefined;
      },
    }),
  ];
}
