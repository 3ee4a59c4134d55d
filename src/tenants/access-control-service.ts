import { randomUUID } from 'node:crypto';
import { EffectivePermissions, parsePermissions } from '../permissions/index.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import type {
  GroupRecord,
  GroupRepository,
  MembershipRepository,
  RoleRecord,
  RoleRepository,
} from '../storage/ports.js';

const NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * A company's roles and groups, and what they add up to for one member. Every operation names the company first
 * and touches nothing outside it: a role, group or member of another company reads as absent.
 */
export class AccessControlService {
  constructor(
    private readonly roles: RoleRepository,
    private readonly groups: GroupRepository,
    private readonly memberships: MembershipRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async createRole(tenantId: string, name: unknown, permissions: unknown): Promise<RoleRecord> {
    const role: RoleRecord = {
      id: randomUUID(),
      tenantId,
      name: validName(name, 'role'),
      permissions: parsePermissions(permissions),
      createdAt: this.now(),
    };
    await this.roles.create(role);
    return role;
  }

  /** Takes effect at the user's next token: tokens are computed from the roles at the time they are issued. */
  async setRolePermissions(tenantId: string, name: unknown, permissions: unknown): Promise<RoleRecord> {
    const parsed = parsePermissions(permissions);
    if (!(await this.roles.setPermissions(tenantId, validName(name, 'role'), parsed))) throw noSuch('role');
    return (await this.roles.findByName(tenantId, String(name)))!;
  }

  listRoles(tenantId: string): Promise<RoleRecord[]> {
    return this.roles.list(tenantId);
  }

  listGroups(tenantId: string): Promise<GroupRecord[]> {
    return this.groups.list(tenantId);
  }

  async createGroup(tenantId: string, name: unknown): Promise<GroupRecord> {
    const group: GroupRecord = {
      id: randomUUID(),
      tenantId,
      name: validName(name, 'group'),
      memberIds: [],
      roleNames: [],
      createdAt: this.now(),
    };
    await this.groups.create(group);
    return group;
  }

  /** Only members of the company can join its groups. */
  async addGroupMember(tenantId: string, groupName: unknown, accountId: string): Promise<GroupRecord> {
    const group = await this.group(tenantId, groupName);
    await this.membership(tenantId, accountId);
    await this.groups.addMember(tenantId, group.id, accountId);
    return (await this.groups.findByName(tenantId, group.name))!;
  }

  async addGroupRole(tenantId: string, groupName: unknown, roleName: unknown): Promise<GroupRecord> {
    const group = await this.group(tenantId, groupName);
    const role = await this.role(tenantId, roleName);
    await this.groups.addRole(tenantId, group.id, role.name);
    return (await this.groups.findByName(tenantId, group.name))!;
  }

  /** Gives a member a role directly (a membership role). */
  async grantRole(tenantId: string, accountId: string, roleName: unknown): Promise<string[]> {
    const role = await this.role(tenantId, roleName);
    const membership = await this.membership(tenantId, accountId);
    const roles = membership.roles.includes(role.name) ? membership.roles : [...membership.roles, role.name];
    await this.memberships.put({ ...membership, roles });
    return roles;
  }

  /**
   * Everything the account may do in the company: the permissions of its direct roles and of its groups' roles.
   * Someone who is not a member holds nothing; role names with no role behind them grant nothing.
   */
  async permissionsOf(tenantId: string, accountId: string): Promise<EffectivePermissions> {
    const membership = await this.memberships.find(tenantId, accountId);
    if (!membership) return new EffectivePermissions([]);
    const groups = await this.groups.listForAccount(tenantId, accountId);
    const names = new Set([...membership.roles, ...groups.flatMap((group) => group.roleNames)]);
    const roles = await this.roles.listByNames(tenantId, [...names]);
    return new EffectivePermissions(roles.flatMap((role) => role.permissions));
  }

  private async group(tenantId: string, name: unknown): Promise<GroupRecord> {
    const group = await this.groups.findByName(tenantId, validName(name, 'group'));
    if (!group) throw noSuch('group');
    return group;
  }

  private async role(tenantId: string, name: unknown): Promise<RoleRecord> {
    const role = await this.roles.findByName(tenantId, validName(name, 'role'));
    if (!role) throw noSuch('role');
    return role;
  }

  private async membership(tenantId: string, accountId: string) {
    const membership = await this.memberships.find(tenantId, accountId);
    if (!membership) throw new NotFoundError('the account is not a member of this company');
    return membership;
  }
}

function validName(value: unknown, what: 'role' | 'group'): string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    throw new ValidationError(`${what} name must be 1-64 letters, digits or . _ : -`, what);
  }
  return value;
}

function noSuch(what: 'role' | 'group'): NotFoundError {
  return new NotFoundError(`the company has no such ${what}`);
}
