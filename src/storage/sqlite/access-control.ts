import type { DatabaseSync } from 'node:sqlite';
import type { GroupRecord, GroupRepository, PermissionRecord, RoleRecord, RoleRepository } from '../ports.js';
import { inTransaction } from './database.js';
import { insertUnique, key } from './directory.js';

/**
 * A company's roles and groups in the embedded SQLite file. Every statement carries `tenant_id = ?`, so no call
 * can read or change another company's roles or groups, whatever ids it is handed.
 */

type Row = Record<string, string | number | null>;

export class SqliteRoleRepository implements RoleRepository {
  constructor(private readonly db: DatabaseSync) {}

  async create(role: RoleRecord): Promise<void> {
    insertUnique('the company already has a role with this name', () =>
      this.db
        .prepare('INSERT INTO roles (id, tenant_id, name, permissions, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(role.id, role.tenantId, role.name, JSON.stringify(role.permissions), role.createdAt.getTime()),
    );
  }

  async setPermissions(tenantId: string, name: string, permissions: PermissionRecord[]): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE roles SET permissions = ? WHERE tenant_id = ? AND name = ?')
      .run(JSON.stringify(permissions), key(tenantId), key(name));
    return Number(result.changes) > 0;
  }

  async findByName(tenantId: string, name: string): Promise<RoleRecord | null> {
    const row = this.db.prepare('SELECT * FROM roles WHERE tenant_id = ? AND name = ?').get(key(tenantId), key(name)) as
      | Row
      | undefined;
    return row ? toRole(row) : null;
  }

  async listByNames(tenantId: string, names: string[]): Promise<RoleRecord[]> {
    if (names.length === 0) return [];
    const rows = this.db
      .prepare('SELECT * FROM roles WHERE tenant_id = ? AND name IN (SELECT value FROM json_each(?)) ORDER BY name')
      .all(key(tenantId), JSON.stringify(names.map(key))) as Row[];
    return rows.map(toRole);
  }

  async delete(tenantId: string, name: string): Promise<boolean> {
    return Number(this.db.prepare('DELETE FROM roles WHERE tenant_id = ? AND name = ?').run(key(tenantId), key(name)).changes) > 0;
  }

  async list(tenantId: string): Promise<RoleRecord[]> {
    const rows = this.db.prepare('SELECT * FROM roles WHERE tenant_id = ? ORDER BY name').all(key(tenantId)) as Row[];
    return rows.map(toRole);
  }
}

export class SqliteGroupRepository implements GroupRepository {
  constructor(private readonly db: DatabaseSync) {}

  async create(group: GroupRecord): Promise<void> {
    insertUnique('the company already has a group with this name', () =>
      inTransaction(this.db, () => {
        this.db
          .prepare('INSERT INTO groups (id, tenant_id, name, created_at) VALUES (?, ?, ?, ?)')
          .run(group.id, group.tenantId, group.name, group.createdAt.getTime());
        for (const accountId of group.memberIds) this.insertMember(group.tenantId, group.id, accountId);
        for (const roleName of group.roleNames) this.insertRole(group.tenantId, group.id, roleName);
      }),
    );
  }

  async findByName(tenantId: string, name: string): Promise<GroupRecord | null> {
    const row = this.db.prepare('SELECT * FROM groups WHERE tenant_id = ? AND name = ?').get(key(tenantId), key(name)) as
      | Row
      | undefined;
    return row ? this.toGroup(row) : null;
  }

  async list(tenantId: string): Promise<GroupRecord[]> {
    const rows = this.db.prepare('SELECT * FROM groups WHERE tenant_id = ? ORDER BY name').all(key(tenantId)) as Row[];
    return rows.map((row) => this.toGroup(row));
  }

  async addMember(tenantId: string, groupId: string, accountId: string): Promise<boolean> {
    return this.insertMember(tenantId, groupId, accountId) || this.exists(tenantId, groupId);
  }

  async addRole(tenantId: string, groupId: string, roleName: string): Promise<boolean> {
    return this.insertRole(tenantId, groupId, roleName) || this.exists(tenantId, groupId);
  }

  /** Its member and role rows go with it (ON DELETE CASCADE). */
  async delete(tenantId: string, groupId: string): Promise<boolean> {
    return Number(this.db.prepare('DELETE FROM groups WHERE id = ? AND tenant_id = ?').run(key(groupId), key(tenantId)).changes) > 0;
  }

  async removeMember(tenantId: string, groupId: string, accountId: string): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM group_members WHERE group_id = ? AND tenant_id = ? AND account_id = ?')
      .run(key(groupId), key(tenantId), key(accountId));
    return Number(result.changes) > 0;
  }

  /** group_roles carries no company, so the delete selects the group inside the company first. */
  async removeRole(tenantId: string, groupId: string, roleName: string): Promise<boolean> {
    const result = this.db
      .prepare('DELETE FROM group_roles WHERE role_name = ? AND group_id IN (SELECT id FROM groups WHERE id = ? AND tenant_id = ?)')
      .run(key(roleName), key(groupId), key(tenantId));
    return Number(result.changes) > 0;
  }

  /** The insert selects the group inside the company, so a group id from another company inserts nothing. */
  private insertMember(tenantId: string, groupId: string, accountId: string): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO group_members (group_id, tenant_id, account_id)
         SELECT id, tenant_id, ? FROM groups WHERE id = ? AND tenant_id = ?
         ON CONFLICT (group_id, account_id) DO NOTHING`,
      )
      .run(key(accountId), key(groupId), key(tenantId));
    return Number(result.changes) > 0;
  }

  private insertRole(tenantId: string, groupId: string, roleName: string): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO group_roles (group_id, role_name)
         SELECT id, ? FROM groups WHERE id = ? AND tenant_id = ?
         ON CONFLICT (group_id, role_name) DO NOTHING`,
      )
      .run(key(roleName), key(groupId), key(tenantId));
    return Number(result.changes) > 0;
  }

  async listForAccount(tenantId: string, accountId: string): Promise<GroupRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT groups.* FROM groups JOIN group_members ON group_members.group_id = groups.id
         WHERE group_members.tenant_id = ? AND group_members.account_id = ? AND groups.tenant_id = ?
         ORDER BY groups.name`,
      )
      .all(key(tenantId), key(accountId), key(tenantId)) as Row[];
    return rows.map((row) => this.toGroup(row));
  }

  private exists(tenantId: string, groupId: string): boolean {
    return this.db.prepare('SELECT 1 FROM groups WHERE id = ? AND tenant_id = ?').get(key(groupId), key(tenantId)) !== undefined;
  }

  private toGroup(row: Row): GroupRecord {
    const id = String(row.id);
    const members = this.db
      .prepare('SELECT account_id FROM group_members WHERE group_id = ? ORDER BY account_id')
      .all(id) as Array<{ account_id: string }>;
    const roles = this.db
      .prepare('SELECT role_name FROM group_roles WHERE group_id = ? ORDER BY role_name')
      .all(id) as Array<{ role_name: string }>;
    return {
      id,
      tenantId: String(row.tenant_id),
      name: String(row.name),
      memberIds: members.map((member) => member.account_id),
      roleNames: roles.map((role) => role.role_name),
      createdAt: new Date(Number(row.created_at)),
    };
  }
}

function toRole(row: Row): RoleRecord {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    name: String(row.name),
    permissions: JSON.parse(String(row.permissions)) as PermissionRecord[],
    createdAt: new Date(Number(row.created_at)),
  };
}
