import { DatabaseSync } from 'node:sqlite';
import { ValidationError } from '../../shared/errors.js';
import { migrations } from './migrations.js';

/** What a Tessera SQLite file holds: its schema version and the number of rows in each table. */
export interface StoreFileContents {
  schemaVersion: number;
  records: Record<string, number>;
}

/**
 * Opens a file that must already be a database, without creating it or migrating it (unlike openDatabase):
 * backup and restore look at files as they are.
 */
export function openExistingDatabase(file: string, options: { readOnly?: boolean; busyTimeoutMs?: number } = {}): DatabaseSync {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: options.readOnly ?? false });
  } catch (error) {
    throw new ValidationError(`cannot open ${file}: ${(error as Error).message}`);
  }
  db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  return db;
}

/**
 * Reads what the database holds, after checking that it is a Tessera store this version understands: a
 * `schema_version` table, a version no newer than our migrations, and pages that pass SQLite's quick check.
 */
export function inspectStoreFile(db: DatabaseSync, file: string): StoreFileContents {
  let tables: string[];
  try {
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map(
      (row) => row.name,
    );
  } catch (error) {
    // A file that is not SQLite at all fails on its first statement ("file is not a database").
    throw new ValidationError(`${file} is not a Tessera database: ${(error as Error).message}`);
  }
  if (!tables.includes('schema_version')) throw new ValidationError(`${file} is not a Tessera database (it has no schema_version table)`);
  const { version } = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  if (!version || version < 1) throw new ValidationError(`${file} is not a Tessera database (its schema_version is empty)`);
  if (version > migrations.length) {
    throw new ValidationError(`${file} was written by a newer Tessera (schema ${version}; this one knows up to ${migrations.length})`);
  }
  const problems = (db.prepare('PRAGMA quick_check').all() as Array<{ quick_check: string }>).map((row) => row.quick_check);
  if (problems.join() !== 'ok') throw new ValidationError(`${file} is damaged: ${problems.slice(0, 3).join('; ')}`);
  const records: Record<string, number> = {};
  for (const table of tables.filter((name) => name !== 'schema_version').sort()) {
    const quoted = `"${table.replace(/"/g, '""')}"`;
    records[table] = (db.prepare(`SELECT COUNT(*) AS count FROM ${quoted}`).get() as { count: number }).count;
  }
  return { schemaVersion: version, records };
}
