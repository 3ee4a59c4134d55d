import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConflictError } from '../shared/errors.js';
import { ADMIN_READ, ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { memberOf, requireRoles, roleName, userIdParam, userView } from './members.js';
import { decodeCursor, pageOfFetched, pageQuery } from './pagination.js';

const inviteBody = z.strictObject({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(200).optional(),
  roles: z.array(roleName).max(50).default([]),
});

/**
 * Users of the caller's company: list, read one, invite one (a new account and membership, with a mail to choose a
 * password through the password-reset link), disable, enable, reset the second factor, delete (AccountDeletion).
 */
export function userRoutes(services: AdminServices): AdminRoute[] {
  return [
    companyRoute({
      method: 'get',
      path: '/users',
      summary: 'The company\'s users, by account id',
      tag: 'users',
      scope: ADMIN_READ,
      query: z.strictObject(pageQuery),
      async handle({ caller, query }) {
        const afterAccountId = query.cursor === undefined ? undefined : decodeCursor<string>(query.cursor, 'string');
        const memberships = await services.memberships.listForTenant(caller.companyId, { afterAccountId, limit: query.limit + 1 });
        const page = pageOfFetched(memberships, query.limit, (membership) => membership.accountId);
        const accounts = await Promise.all(page.items.map((membership) => services.accounts.findById(membership.accountId)));
        const items = page.items.flatMap((membership, index) => (accounts[index] ? [userView(accounts[index], membership)] : []));
        return { items, next_cursor: page.next_cursor };
      },
    }),
    companyRoute({
      method: 'get',
      path: '/users/:userId',
      summary: 'A user of the company',
      tag: 'users',
      scope: ADMIN_READ,
      params: userIdParam,
      async handle({ caller, params }) {
        const { account, membership } = await memberOf(services, caller.companyId, params.userId);
        return userView(account, membership);
      },
    }),
    companyRoute({
      method: 'post',
      path: '/users',
      summary: 'Invite a user: creates the account and membership and mails a link to choose a password',
      tag: 'users',
      scope: ADMIN_WRITE,
      body: inviteBody,
      successStatus: 201,
      async handle({ caller, body, meta }) {
        if (await services.accounts.findByEmail(body.email)) {
          throw new ConflictError('an account with this email exists: add it to the company through /memberships');
        }
        await requireRoles(services, caller.companyId, body.roles);
        // Nobody knows this password: the invited user chooses one through the mailed reset link.
        const unusable = randomBytes(32).toString('base64url');
        const account = await services.accounts.create({ email: body.email, name: body.name ?? null, password: unusable });
        const membership = await services.tenants.addMember(caller.companyId, account.id, body.roles);
        services.passwords.requestReset(account.email, meta);
        const view = userView(account, membership);
        await services.adminAudit.record(caller, { action: 'user.invited', subject: account.id, after: view }, meta);
        return view;
      },
    }),
    ...(['disable', 'enable'] as const).map((verb) =>
      companyRoute({
        method: 'post',
        path: `/users/:userId/${verb}`,
        summary: verb === 'disable' ? 'Disable a user: also ends every session, grant and refresh token' : 'Enable a user again',
        tag: 'users',
        scope: ADMIN_WRITE,
        params: userIdParam,
        async handle({ caller, params, meta }) {
          const { account, membership } = await memberOf(services, caller.companyId, params.userId);
          if (verb === 'enable' && (await services.accountDeletion.scheduleOf(account.id))) {
            throw new ConflictError('the account is being deleted; it cannot be enabled');
          }
          const updated = await services.accounts.setDisabled(account, verb === 'disable');
          if (verb === 'disable') await services.sessions.revokeEverything(account.id);
          await services.adminAudit.record(
            caller,
            { action: `user.${verb}d`, subject: account.id, before: { disabled: account.disabled }, after: { disabled: updated.disabled } },
            meta,
          );
          return userView(updated, membership);
        },
      }),
    ),
    companyRoute({
      method: 'delete',
      path: '/users/:userId',
      summary: 'Delete a user: disabled and signed out at once, personal data purged after the retention window',
      tag: 'users',
      scope: ADMIN_WRITE,
      params: userIdParam,
      successStatus: 202,
      async handle({ caller, params, meta }) {
        const { account } = await memberOf(services, caller.companyId, params.userId);
        // An account is one person's across companies: one company may only delete an account that is its alone.
        const elsewhere = (await services.tenants.listMemberships(account.id)).some((each) => each.tenantId !== caller.companyId);
        if (elsewhere) throw new ConflictError('the account belongs to other companies too: remove it from this one (DELETE /memberships/{id})');
        const deletion = await services.accountDeletion.request(account, { actor: caller.actor, tenantId: caller.companyId, ...meta });
        const after = { disabled: true, purge_after: deletion.purgeAfter };
        await services.adminAudit.record(caller, { action: 'user.deleted', subject: account.id, after }, meta);
        return { id: account.id, ...after };
      },
    }),
    companyRoute({
      method: 'post',
      path: '/users/:userId/reset-mfa',
      summary: 'Remove the user\'s second factor: they enrol again at their next sign-in if the company requires one',
      tag: 'users',
      scope: ADMIN_WRITE,
      params: userIdParam,
      async handle({ caller, params, meta }) {
        const { account, membership } = await memberOf(services, caller.companyId, params.userId);
        const updated = account.mfa ? await services.mfa.disable(account, meta) : account;
        await services.adminAudit.record(
          caller,
          { action: 'user.mfa_reset', subject: account.id, before: { mfa_enrolled: account.mfa !== null }, after: { mfa_enrolled: false } },
          meta,
        );
        return userView(updated, membership);
      },
    }),
  ];
}
