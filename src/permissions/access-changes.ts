import { NotFoundError, ValidationError } from '../shared/errors.js';
import type { GroupRecord, GroupRepository, MembershipRepository, RoleRecord, RoleRepository } from '../storage/ports.js';
import { permissionsShrank, type AccessRevocation, type AccessRevocationContext } from './access-revocation.js';
import { parsePermissions } from './permission.js';

/**
 * The access changes that take something away, inside one company: narrowing a role, taking a role from a member
 * or a group, taking a member out of a group or out of the company. Each ends the affected accounts' grants in
 * that company at once (see AccessRevocation), so a removed permission does not live on in a refresh token for
 * the refresh token's lifetime. Adding access needs no revocation: it shows at the next token.
 */
export class AccessChanges {
  constructor(
    private readonly roles: RoleRepository,
    private readonly groups: GroupRepository,
    private readonly memberships: MembershipRepository,
    private readonly revocation: AccessRevocation,
  ) {}

  /** Replaces a role's permissions; when any was taken away, every holder (direct or through a group) loses its grants. */
  async setRolePermissions(tenantId: string, roleName: unknown, permissions: unknown, context?: AccessRevocationContext): Promise<RoleRecord> {
    const parsed = parsePermissions(permissions);
    const before = await this.role(tenantId, roleName);
    await this.roles.setPermissions(tenantId, before.name, parsed);
    if (permissionsShrank(before.permissions, parsed)) {
      await this.revocation.revokeInCompany(tenantId, await this.holdersOf(tenantId, before.name), `role ${before.name} narrowed`, context);
    }
    return { ...before, permissions: parsed };
  }

  /** Takes a directly given role from a member; returns the member's remaining direct roles. */
  async revokeRole(tenantId: string, accountId: string, roleName: unknown, context?: AccessRevocationContext): Promise<string[]> {
    const name = text(roleName, 'role');
    const membership = await this.memberships.find(tenantId, accountId);
    if (!membership) throw new NotFoundError('the account is not a member of this company');
    if (!membership.roles.includes(name)) throw new NotFoundError('the member does not hold this role directly');
    const roles = membership.roles.filter((role) => role !== name);
    await this.memberships.put({ ...membership, roles });
    await this.revocation.revokeInCompany(tenantId, [accountId], `role ${name} taken`, context);
    return roles;
  }

  async removeGroupRole(tenantId: string, groupName: unknown, roleName: unknown, context?: AccessRevocationContext): Promise<GroupRecord> {
    const group = await this.group(tenantId, groupName);
    const name = text(roleName, 'role');
    if (!(await this.groups.removeRole(tenantId, group.id, name))) throw new NotFoundError('the group does not have this role');
    await this.revocation.revokeInCompany(tenantId, group.memberIds, `role ${name} taken from group ${group.name}`, context);
    return (await this.groups.findByName(tenantId, group.name))!;
  }

  async removeGroupMember(tenantId: string, groupName: unknown, accountId: string, context?: AccessRevocationContext): Promise<GroupRecord> {
    const group = await this.group(tenantId, groupName);
    if (!(await this.groups.removeMember(tenantId, group.id, accountId))) throw new NotFoundError('the account is not in this group');
    await this.revocation.revokeInCompany(tenantId, [accountId], `left group ${group.name}`, context);
    return (await this.groups.findByName(tenantId, group.name))!;
  }

  /** The account leaves the company: its groups there, its membership, and every grant acting in the company. */
  async removeMember(tenantId: string, accountId: string, context?: AccessRevocationContext): Promise<void> {
    for (const group of await this.groups.listForAccount(tenantId, accountId)) {
      await this.groups.removeMember(tenantId, group.id, accountId);
    }
    if (!(await this.memberships.remove(tenantId, accountId))) throw new NotFoundError('the account is not a member of this company');
    await this.revocation.revokeInCompany(tenantId, [accountId], 'left the company', context);
  }

  /** The accounts holding the role in the company, directly or through one of its groups. */
  private async holdersOf(tenantId: string, roleName: string): Promise<string[]> {
    const direct = (await this.memberships.listByRole(tenantId, roleName)).map((membership) => membership.accountId);
    const viaGroups = (await this.groups.list(tenantId))
      .filter((group) => group.roleNames.includes(roleName))
      .flatMap((group) => group.memberIds);
    return [...new Set([...direct, ...viaGroups])];
  }

  private async role(tenantId: string, name: unknown): Promise<RoleRecord> {
    const role = await this.roles.findByName(tenantId, text(name, 'role'));
    if (!role) throw new NotFoundError('the company has no such role');
    return role;
  }

  private async group(tenantId: string, name: unknown): Promise<GroupRecord> {
    const group = await this.groups.findByName(tenantId, text(name, 'group'));
    if (!group) throw new NotFoundError('the company has no such group');
    return group;
  }
}

function text(value: unknown, field: 'role' | 'group'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new ValidationError(`${field} name must be 1-64 characters`, field);
  }
  return value;
}
