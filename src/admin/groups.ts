import { z } from 'zod';
import { NotFoundError } from '../shared/errors.js';
import type { GroupRecord } from '../storage/ports.js';
import { ADMIN_READ, ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { memberOf, roleName } from './members.js';
import { pageByKey, pageQuery } from './pagination.js';

const nameParam = z.strictObject({ name: roleName });
const accountId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an account id');

function groupView(group: GroupRecord) {
  return { id: group.id, name: group.name, member_ids: group.memberIds, roles: group.roleNames, created_at: group.createdAt };
}

/**
 * The company's groups: list, read, create, add a member (a member of the company), give a role (one of the
 * company), take a member or a role away, delete (AccessChanges: the grants that relied on it end at once).
 */
export function groupRoutes(services: AdminServices): AdminRoute[] {
  const find = async (companyId: string, name: string) => {
    const group = (await services.accessControl.listGroups(companyId)).find((each) => each.name === name);
    if (!group) throw new NotFoundError('the company has no such group');
    return group;
  };
  return [
    companyRoute({
      method: 'get',
      path: '/groups',
      summary: 'The company\'s groups, by name',
      tag: 'groups',
      scope: ADMIN_READ,
      query: z.strictObject(pageQuery),
      async handle({ caller, query }) {
        const page = pageByKey(await services.accessControl.listGroups(caller.companyId), (group) => group.name, query);
        return { items: page.items.map(groupView), next_cursor: page.next_cursor };
      },
    }),
    companyRoute({
      method: 'get',
      path: '/groups/:name',
      summary: 'One group',
      tag: 'groups',
      scope: ADMIN_READ,
      params: nameParam,
      async handle({ caller, params }) {
        return groupView(await find(caller.companyId, params.name));
      },
    }),
    companyRoute({
      method: 'post',
      path: '/groups',
      summary: 'Create a group',
      tag: 'groups',
      scope: ADMIN_WRITE,
      body: z.strictObject({ name: roleName }),
      successStatus: 201,
      async handle({ caller, body, meta }) {
        const group = groupView(await services.accessControl.createGroup(caller.companyId, body.name));
        await services.adminAudit.record(caller, { action: 'group.created', resource: `group:${group.name}`, after: group }, meta);
        return group;
      },
    }),
    companyRoute({
      method: 'post',
      path: '/groups/:name/members',
      summary: 'Add a member of the company to the group',
      tag: 'groups',
      scope: ADMIN_WRITE,
      params: nameParam,
      body: z.strictObject({ user_id: accountId }),
      async handle({ caller, params, body, meta }) {
        await memberOf(services, caller.companyId, body.user_id);
        const before = groupView(await find(caller.companyId, params.name));
        const after = groupView(await services.accessControl.addGroupMember(caller.companyId, params.name, body.user_id));
        await services.adminAudit.record(
          caller,
          { action: 'group.member_added', subject: body.user_id, resource: `group:${after.name}`, before, after },
          meta,
        );
        return after;
      },
    }),
    companyRoute({
      method: 'post',
      path: '/groups/:name/roles',
      summary: 'Give the group a role of the company',
      tag: 'groups',
      scope: ADMIN_WRITE,
      params: nameParam,
      body: z.strictObject({ role: roleName }),
      async handle({ caller, params, body, meta }) {
        const before = groupView(await find(caller.companyId, params.name));
        const after = groupView(await services.accessControl.addGroupRole(caller.companyId, params.name, body.role));
        await services.adminAudit.record(caller, { action: 'group.role_added', resource: `group:${after.name}`, before, after }, meta);
        return after;
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/groups/:name/members/:userId',
      summary: 'Take a member out of the group; their grants in the company end at once',
      tag: 'groups',
      scope: ADMIN_WRITE,
      params: nameParam.extend({ userId: accountId }),
      async handle({ caller, params, meta }) {
        const before = groupView(await find(caller.companyId, params.name));
        const after = groupView(await services.accessChanges.removeGroupMember(caller.companyId, params.name, params.userId, { actor: caller.actor, ...meta }));
        await services.adminAudit.record(caller, { action: 'group.member_removed', subject: params.userId, resource: `group:${after.name}`, before, after }, meta);
        return after;
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/groups/:name/roles/:role',
      summary: 'Take a role from the group; its members\' grants in the company end at once',
      tag: 'groups',
      scope: ADMIN_WRITE,
      params: nameParam.extend({ role: roleName }),
      async handle({ caller, params, meta }) {
        const before = groupView(await find(caller.companyId, params.name));
        const after = groupView(await services.accessChanges.removeGroupRole(caller.companyId, params.name, params.role, { actor: caller.actor, ...meta }));
        await services.adminAudit.record(caller, { action: 'group.role_removed', resource: `group:${after.name}`, before, after }, meta);
        return after;
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/groups/:name',
      summary: 'Delete a group: its members lose its roles, and their grants in the company end at once',
      tag: 'groups',
      scope: ADMIN_WRITE,
      params: nameParam,
      async handle({ caller, params, meta }) {
        const group = await find(caller.companyId, params.name);
        for (const memberId of group.memberIds) {
          await services.accessChanges.removeGroupMember(caller.companyId, group.name, memberId, { actor: caller.actor, ...meta });
        }
        await services.groupRecords.delete(caller.companyId, group.id);
        await services.adminAudit.record(caller, { action: 'group.deleted', resource: `group:${group.name}`, before: groupView(group) }, meta);
        return undefined;
      },
    }),
  ];
}
