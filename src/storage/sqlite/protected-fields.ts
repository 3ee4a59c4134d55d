import type { DatabaseSync } from 'node:sqlite';
import type { ProtectedFieldKind, ProtectedFieldPage, ProtectedFieldStore } from '../protected-fields.js';

/**
 * Where each protected field sits in the embedded schema: a column, or a member of a JSON column read and written
 * with SQLite's JSON functions, so a replace touches that member and nothing else of the row.
 */
const LOCATIONS: Record<ProtectedFieldKind, { table: string; id: string; read: string; write: string }> = {
  'account.name': { table: 'accounts', id: 'id', read: 'name', write: 'name = ?' },
  'account.totpSecret': {
    table: 'accounts',
    id: 'id',
    read: "json_extract(mfa, '$.totpSecret')",
    write: "mfa = json_set(mfa, '$.totpSecret', ?)",
  },
  'client.secret': {
    table: 'clients',
    id: 'client_id',
    read: "json_extract(metadata, '$.client_secret')",
    write: "metadata = json_set(metadata, '$.client_secret', ?)",
  },
};

export class SqliteProtectedFieldStore implements ProtectedFieldStore {
  constructor(private readonly db: DatabaseSync) {}

  async page(kind: ProtectedFieldKind, after: string | null, limit: number): Promise<ProtectedFieldPage> {
    const { table, id, read } = LOCATIONS[kind];
    // typeof = 'text' passes over records without the field (NULL) inside the query, so a page holds only fields.
    const rows = this.db
      .prepare(
        `SELECT ${id} AS owner, ${read} AS value FROM ${table}
         WHERE ${id} > ? AND typeof(${read}) = 'text' ORDER BY ${id} LIMIT ?`,
      )
      .all(after ?? '', limit) as Array<{ owner: string; value: string }>;
    const fields = rows.map(({ owner, value }) => ({ owner: String(owner), value: String(value) }));
    return { fields, next: fields.length < limit ? null : fields.at(-1)!.owner };
  }

  async replace(kind: ProtectedFieldKind, owner: string, expected: string, next: string): Promise<boolean> {
    const { table, id, read, write } = LOCATIONS[kind];
    const result = this.db
      .prepare(`UPDATE ${table} SET ${write} WHERE ${id} = ? AND ${read} = ?`)
      .run(next, String(owner), String(expected));
    return Number(result.changes) === 1;
  }
}
