import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { migrations } from './migrations.js';

/** The page cache of each connection, in KiB. */
export const PAGE_CACHE_KIB = 65_536;

/**
 * Opens (creating if needed) the embedded SQLite file and brings its schema up to date.
 * node:sqlite is synchronous; every statement here is a short indexed lookup, so blocking is measured in
 * microseconds and keeps the code free of connection pools.
 */
export function openDatabase(file: string): DatabaseSync {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  // Several processes (server and CLI) may share the file; wait for a lock rather than fail at once.
  db.exec('PRAGMA busy_timeout = 5000');
  // A 64 MiB page cache instead of SQLite's 2 MiB: a token lookup reads a random row of a table that grows by every
  // token issued (hundreds of MB in the benchmark), and with the default nearly every lookup went to the file for
  // its index and table pages (introspection, A/B: ≈ 10 µs of CPU per request less). Filled only as pages are read.
  db.exec(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
  migrate(db);
  return db;
}

function migrate(db: DatabaseSync): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  const current = row.version ?? 0;
  for (const [index, sql] of migrations.entries()) {
    const version = index + 1;
    if (version <= current) continue;
    inTransaction(db, () => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version);
    });
  }
}

export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

const statementsByDatabase = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * The statement for `sql`, compiled once per database and reused. Compiling is most of a lookup's cost (16–53 µs
 * per token request in the benchmark's profile, against a few µs for running it). Reuse is safe because node:sqlite
 * runs each statement to completion synchronously: two callers can never interleave on one statement.
 */
export function prepared(db: DatabaseSync, sql: string): StatementSync {
  let statements = statementsByDatabase.get(db);
  if (!statements) {
    statements = new Map();
    statementsByDatabase.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
