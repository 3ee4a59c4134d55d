import type { Tessera } from '../app.js';
import { formatPermission } from '../permissions/index.js';
import type { GroupRecord, RoleRecord, TenantRecord } from '../storage/ports.js';
import type { ParsedCommand } from './commands.js';
import { UsageError } from './usage-error.js';

type Command = (tessera: Tessera, command: ParsedCommand) => Promise<unknown>;

/**
 * Roles, groups and memberships of one company. Every command names the company with --tenant and reaches only
 * into it: a role, group or user of another company reads as "no such".
 */
export const ACCESS_CONTROL_COMMANDS: Record<string, Command> = {
  'role create': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    return showRole(tenant, await tessera.accessControl.createRole(tenant.id, value(options, 'name'), value(options, 'permissions')));
  },

  // Added permissions show at each user's next token. A permission taken away ends the holders' grants in this
  // company at once, always: an operator who narrows a role means it now, not when refresh tokens expire (days);
  // the price, signing in again, falls only on the affected accounts in this company.
  'role update': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    return showRole(tenant, await tessera.accessChanges.setRolePermissions(tenant.id, value(options, 'name'), value(options, 'permissions')));
  },

  'role list': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    return { roles: (await tessera.accessControl.listRoles(tenant.id)).map((role) => showRole(tenant, role)) };
  },

  'group create': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    return showGroup(tenant, await tessera.accessControl.createGroup(tenant.id, value(options, 'name')));
  },

  'group add-member': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    const account = await accountByEmail(tessera, options);
    return showGroup(tenant, await tessera.accessControl.addGroupMember(tenant.id, value(options, 'group'), account.id));
  },

  'group add-role': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    return showGroup(tenant, await tessera.accessControl.addGroupRole(tenant.id, value(options, 'group'), oneRole(options)));
  },

  // Removals end the affected grants in the company at once (see 'role update').
  'group remove-member': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    const account = await accountByEmail(tessera, options);
    return showGroup(tenant, await tessera.accessChanges.removeGroupMember(tenant.id, value(options, 'group'), account.id));
  },

  'group remove-role': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    return showGroup(tenant, await tessera.accessChanges.removeGroupRole(tenant.id, value(options, 'group'), oneRole(options)));
  },

  'group list': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    return { groups: (await tessera.accessControl.listGroups(tenant.id)).map((group) => showGroup(tenant, group)) };
  },

  'user grant-role': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    const account = await accountByEmail(tessera, options);
    const roles = await tessera.accessControl.grantRole(tenant.id, account.id, oneRole(options));
    return { email: account.email, tenant: tenant.slug, roles };
  },

  'user revoke-role': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    const account = await accountByEmail(tessera, options);
    const roles = await tessera.accessChanges.revokeRole(tenant.id, account.id, oneRole(options));
    return { email: account.email, tenant: tenant.slug, roles };
  },

  'user remove-from-tenant': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    const account = await accountByEmail(tessera, options);
    await tessera.accessChanges.removeMember(tenant.id, account.id);
    return { email: account.email, tenant: tenant.slug, member: false };
  },

  // Makes an existing account a member of one more company (with roles), keeping its other memberships.
  'user add-to-tenant': async (tessera, { options }) => {
    const tenant = await company(tessera, options);
    const account = await accountByEmail(tessera, options);
    const existing = (await tessera.tenants.listMemberships(account.id)).find((each) => each.tenantId === tenant.id);
    const roles = [...new Set([...(existing?.roles ?? []), ...((options.role as string[] | undefined) ?? [])])];
    const membership = await tessera.tenants.addMember(tenant.id, account.id, roles);
    return { email: account.email, tenant: tenant.slug, roles: membership.roles };
  },
};

function value(options: ParsedCommand['options'], name: string): string {
  const given = options[name];
  if (typeof given !== 'string' || !given) throw new UsageError(`--${name} is required and takes a value`);
  return given;
}

function oneRole(options: ParsedCommand['options']): string {
  const roles = options.role as string[] | undefined;
  if (roles?.length !== 1) throw new UsageError('--role is required, once');
  return roles[0]!;
}

function company(tessera: Tessera, options: ParsedCommand['options']): Promise<TenantRecord> {
  return tessera.tenants.getBySlug(value(options, 'tenant'));
}

async function accountByEmail(tessera: Tessera, options: ParsedCommand['options']) {
  const account = await tessera.accounts.findByEmail(value(options, 'email'));
  if (!account) throw new UsageError('no account with that email');
  return account;
}

function showRole(tenant: TenantRecord, role: RoleRecord) {
  return { name: role.name, tenant: tenant.slug, permissions: role.permissions.map(formatPermission) };
}

function showGroup(tenant: TenantRecord, group: GroupRecord) {
  return { name: group.name, tenant: tenant.slug, members: group.memberIds, roles: group.roleNames };
}
