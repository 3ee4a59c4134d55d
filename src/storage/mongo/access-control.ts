import type { Model } from 'mongoose';
import type { GroupRecord, GroupRepository, PermissionRecord, RoleRecord, RoleRepository } from '../ports.js';
import { mongoCall } from './errors.js';
import { lookupKey } from './lookup-key.js';
import type { GroupDocument, RoleDocument } from './models.js';

/**
 * A company's roles and groups in MongoDB. Every filter carries `tenantId`, so no call can read or change another
 * company's roles or groups, whatever ids it is handed. Group members and roles are sets inside the group
 * document, changed with `$addToSet`, so concurrent additions never lose one another.
 */

const ROLE_TAKEN = 'the company already has a role with this name';
const GROUP_TAKEN = 'the company already has a group with this name';

export class MongoRoleRepository implements RoleRepository {
  constructor(private readonly roles: Model<RoleDocument>) {}

  create(role: RoleRecord): Promise<void> {
    return mongoCall(async () => {
      await this.roles.create({
        _id: role.id,
        tenantId: role.tenantId,
        name: role.name,
        permissions: JSON.stringify(role.permissions),
        createdAt: role.createdAt,
      });
    }, ROLE_TAKEN);
  }

  setPermissions(tenantId: string, name: string, permissions: PermissionRecord[]): Promise<boolean> {
    return mongoCall(async () => {
      const result = await this.roles.updateOne(
        { tenantId: lookupKey(tenantId), name: lookupKey(name) },
        { $set: { permissions: JSON.stringify(permissions) } },
      );
      return result.matchedCount > 0;
    });
  }

  findByName(tenantId: string, name: string): Promise<RoleRecord | null> {
    return mongoCall(async () => {
      const found = await this.roles.findOne({ tenantId: lookupKey(tenantId), name: lookupKey(name) }).lean<RoleDocument>();
      return found ? toRole(found) : null;
    });
  }

  listByNames(tenantId: string, names: string[]): Promise<RoleRecord[]> {
    return mongoCall(async () => {
      if (names.length === 0) return [];
      const found = await this.roles
        .find({ tenantId: lookupKey(tenantId), name: { $in: names.map(lookupKey) } })
        .sort({ name: 1 })
        .lean<RoleDocument[]>();
      return found.map(toRole);
    });
  }

  list(tenantId: string): Promise<RoleRecord[]> {
    return mongoCall(async () => {
      const found = await this.roles.find({ tenantId: lookupKey(tenantId) }).sort({ name: 1 }).lean<RoleDocument[]>();
      return found.map(toRole);
    });
  }

  delete(tenantId: string, name: string): Promise<boolean> {
    return mongoCall(async () => (await this.roles.deleteOne({ tenantId: lookupKey(tenantId), name: lookupKey(name) })).deletedCount > 0);
  }
}

export class MongoGroupRepository implements GroupRepository {
  constructor(private readonly groups: Model<GroupDocument>) {}

  create(group: GroupRecord): Promise<void> {
    return mongoCall(async () => {
      await this.groups.create({
        _id: group.id,
        tenantId: group.tenantId,
        name: group.name,
        memberIds: [...new Set(group.memberIds)],
        roleNames: [...new Set(group.roleNames)],
        createdAt: group.createdAt,
      });
    }, GROUP_TAKEN);
  }

  findByName(tenantId: string, name: string): Promise<GroupRecord | null> {
    return mongoCall(async () => {
      const found = await this.groups.findOne({ tenantId: lookupKey(tenantId), name: lookupKey(name) }).lean<GroupDocument>();
      return found ? toGroup(found) : null;
    });
  }

  list(tenantId: string): Promise<GroupRecord[]> {
    return mongoCall(async () => {
      const found = await this.groups.find({ tenantId: lookupKey(tenantId) }).sort({ name: 1 }).lean<GroupDocument[]>();
      return found.map(toGroup);
    });
  }

  addMember(tenantId: string, groupId: string, accountId: string): Promise<boolean> {
    return this.addToSet(tenantId, groupId, { memberIds: lookupKey(accountId) });
  }

  addRole(tenantId: string, groupId: string, roleName: string): Promise<boolean> {
    return this.addToSet(tenantId, groupId, { roleNames: lookupKey(roleName) });
  }

  listForAccount(tenantId: string, accountId: string): Promise<GroupRecord[]> {
    return mongoCall(async () => {
      const found = await this.groups
        .find({ tenantId: lookupKey(tenantId), memberIds: lookupKey(accountId) })
        .sort({ name: 1 })
        .lean<GroupDocument[]>();
      return found.map(toGroup);
    });
  }

  removeMember(tenantId: string, groupId: string, accountId: string): Promise<boolean> {
    return this.pull(tenantId, groupId, { memberIds: lookupKey(accountId) });
  }

  removeRole(tenantId: string, groupId: string, roleName: string): Promise<boolean> {
    return this.pull(tenantId, groupId, { roleNames: lookupKey(roleName) });
  }

  delete(tenantId: string, groupId: string): Promise<boolean> {
    return mongoCall(async () => (await this.groups.deleteOne({ _id: lookupKey(groupId), tenantId: lookupKey(tenantId) })).deletedCount > 0);
  }

  private pull(tenantId: string, groupId: string, value: Partial<Record<'memberIds' | 'roleNames', string>>) {
    return mongoCall(async () => {
      const result = await this.groups.updateOne({ _id: lookupKey(groupId), tenantId: lookupKey(tenantId) }, { $pull: value });
      return result.modifiedCount > 0;
    });
  }

  private addToSet(tenantId: string, groupId: string, value: Partial<Record<'memberIds' | 'roleNames', string>>) {
    return mongoCall(async () => {
      const result = await this.groups.updateOne({ _id: lookupKey(groupId), tenantId: lookupKey(tenantId) }, { $addToSet: value });
      return result.matchedCount > 0;
    });
  }
}

function toRole(doc: RoleDocument): RoleRecord {
  return {
    id: doc._id,
    tenantId: doc.tenantId,
    name: doc.name,
    permissions: JSON.parse(doc.permissions) as PermissionRecord[],
    createdAt: doc.createdAt,
  };
}

/** Members and roles come back sorted, as the SQLite adapter returns them. */
function toGroup(doc: GroupDocument): GroupRecord {
  return {
    id: doc._id,
    tenantId: doc.tenantId,
    name: doc.name,
    memberIds: [...(doc.memberIds ?? [])].sort(),
    roleNames: [...(doc.roleNames ?? [])].sort(),
    createdAt: doc.createdAt,
  };
}
