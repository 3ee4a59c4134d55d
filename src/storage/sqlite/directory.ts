import type { DatabaseSync } from 'node:sqlite';
import { ConflictError } from '../../shared/errors.js';
import { prepared } from './database.js';
import type {
  AccountMfa,
  AccountRecord,
  AccountRepository,
  MembershipRecord,
  MembershipRepository,
  TenantRecord,
  TenantRepository,
} from '../ports.js';

/** Companies, accounts and memberships: the "who" of Tessera, in the embedded SQLite file. */

type Row = Record<string, string | number | null>;

export class SqliteTenantRepository implements TenantRepository {
  constructor(private readonly db: DatabaseSync) {}

  async create(tenant: TenantRecord): Promise<void> {
    insertUnique('a company with this slug already exists', () =>
      this.db
        .prepare('INSERT INTO tenants (id, slug, name, mfa_required, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(tenant.id, tenant.slug, tenant.name, tenant.mfaRequired ? 1 : 0, tenant.createdAt.getTime()),
    );
  }

  async update(tenant: TenantRecord): Promise<void> {
    insertUnique('a company with this slug already exists', () =>
      this.db
        .prepare('UPDATE tenants SET slug = ?, name = ?, mfa_required = ? WHERE id = ?')
        .run(tenant.slug, tenant.name, tenant.mfaRequired ? 1 : 0, tenant.id),
    );
  }

  async findById(id: string): Promise<TenantRecord | null> {
    return toTenant(prepared(this.db, 'SELECT * FROM tenants WHERE id = ?').get(key(id)) as Row | undefined);
  }

  async findBySlug(slug: string): Promise<TenantRecord | null> {
    return toTenant(prepared(this.db, 'SELECT * FROM tenants WHERE slug = ?').get(key(slug)) as Row | undefined);
  }

  async list(page: { afterSlug?: string; limit: number }): Promise<TenantRecord[]> {
    const rows = prepared(this.db, 'SELECT * FROM tenants WHERE slug > ? ORDER BY slug LIMIT ?').all(key(page.afterSlug ?? ''), page.limit) as Row[];
    return rows.map((row) => toTenant(row)!);
  }
}

export class SqliteAccountRepository implements AccountRepository {
  constructor(private readonly db: DatabaseSync) {}

  async create(account: AccountRecord): Promise<void> {
    insertUnique('an account with this email already exists', () =>
      this.db
        .prepare(
          `INSERT INTO accounts (id, email, name, password_hash, mfa, disabled, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          account.id,
          account.email,
          account.name,
          account.passwordHash,
          mfaColumn(account.mfa),
          account.disabled ? 1 : 0,
          account.createdAt.getTime(),
          account.updatedAt.getTime(),
        ),
    );
  }

  async findById(id: string): Promise<AccountRecord | null> {
    return toAccount(prepared(this.db, 'SELECT * FROM accounts WHERE id = ?').get(key(id)) as Row | undefined);
  }

  async findByEmail(email: string): Promise<AccountRecord | null> {
    return toAccount(prepared(this.db, 'SELECT * FROM accounts WHERE email = ?').get(key(email)) as Row | undefined);
  }

  async update(account: AccountRecord): Promise<void> {
    insertUnique('an account with this email already exists', () =>
      this.db
        .prepare(
          'UPDATE accounts SET email = ?, name = ?, password_hash = ?, mfa = ?, disabled = ?, updated_at = ? WHERE id = ?',
        )
        .run(
          account.email,
          account.name,
          account.passwordHash,
          mfaColumn(account.mfa),
          account.disabled ? 1 : 0,
          account.updatedAt.getTime(),
          account.id,
        ),
    );
  }
}

export class SqliteMembershipRepository implements MembershipRepository {
  constructor(private readonly db: DatabaseSync) {}

  async put(membership: MembershipRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO memberships (tenant_id, account_id, roles, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, account_id) DO UPDATE SET roles = excluded.roles`,
      )
      .run(membership.tenantId, membership.accountId, JSON.stringify(membership.roles), membership.createdAt.getTime());
  }

  async find(tenantId: string, accountId: string): Promise<MembershipRecord | null> {
    const statement = prepared(this.db, 'SELECT * FROM memberships WHERE tenant_id = ? AND account_id = ?');
    const row = statement.get(key(tenantId), key(accountId)) as Row | undefined;
    return row ? toMembership(row) : null;
  }

  async listForAccount(accountId: string): Promise<MembershipRecord[]> {
    const rows = prepared(this.db, 'SELECT * FROM memberships WHERE account_id = ?').all(key(accountId)) as Row[];
    return rows.map(toMembership);
  }

  async listForTenant(tenantId: string, page: { afterAccountId?: string; limit: number }): Promise<MembershipRecord[]> {
    const rows = prepared(this.db, 'SELECT * FROM memberships WHERE tenant_id = ? AND account_id > ? ORDER BY account_id LIMIT ?').all(
      key(tenantId),
      key(page.afterAccountId ?? ''),
      page.limit,
    ) as Row[];
    return rows.map(toMembership);
  }

  async listByRole(tenantId: string, roleName: string): Promise<MembershipRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM memberships WHERE tenant_id = ? AND EXISTS (SELECT 1 FROM json_each(memberships.roles) WHERE value = ?)')
      .all(key(tenantId), key(roleName)) as Row[];
    return rows.map(toMembership);
  }

  async remove(tenantId: string, accountId: string): Promise<boolean> {
    const result = this.db.prepare('DELETE FROM memberships WHERE tenant_id = ? AND account_id = ?').run(key(tenantId), key(accountId));
    return Number(result.changes) > 0;
  }
}

/**
 * Lookup keys are bound as text whatever the caller passed: node:sqlite would read an object such as
 * `{ "$ne": null }` as a set of named parameters, so it is flattened to a string that matches nothing.
 */
export function key(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** Runs an insert or update and turns a uniqueness violation into a typed conflict. */
export function insertUnique(conflictMessage: string, write: () => unknown): void {
  try {
    write();
  } catch (error) {
    if (/UNIQUE constraint failed|PRIMARY KEY/.test((error as Error).message)) {
      throw new ConflictError(conflictMessage, { cause: error });
    }
    throw error;
  }
}

function toTenant(row: Row | undefined): TenantRecord | null {
  if (!row) return null;
  return {
    id: String(row.id),
    slug: String(row.slug),
    name: String(row.name),
    mfaRequired: row.mfa_required === 1,
    createdAt: new Date(Number(row.created_at)),
  };
}

function toAccount(row: Row | undefined): AccountRecord | null {
  if (!row) return null;
  return {
    id: String(row.id),
    email: String(row.email),
    name: row.name === null ? null : String(row.name),
    passwordHash: String(row.password_hash),
    mfa: parseMfa(row.mfa),
    disabled: row.disabled === 1,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

function mfaColumn(mfa: AccountMfa | null): string | null {
  return mfa ? JSON.stringify({ ...mfa, enrolledAt: mfa.enrolledAt.getTime() }) : null;
}

function parseMfa(value: string | number | null | undefined): AccountMfa | null {
  if (typeof value !== 'string') return null;
  const stored = JSON.parse(value) as Omit<AccountMfa, 'enrolledAt'> & { enrolledAt: number };
  return { ...stored, enrolledAt: new Date(stored.enrolledAt) };
}

function toMembership(row: Row): MembershipRecord {
  return {
    tenantId: String(row.tenant_id),
    accountId: String(row.account_id),
    roles: JSON.parse(String(row.roles)) as string[],
    createdAt: new Date(Number(row.created_at)),
  };
}
