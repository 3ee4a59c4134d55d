import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { migrations } from './migrations.js';

/** The page cache of each connection, in KiB: SQLite's own default, kept small on purpose (see openDatabase). */
export const PAGE_CACHE_KIB = 2_000;

/**
 * How much of the file SQLite reads through a memory map instead of read() calls into its page cache. A token
 * lookup (introspection, refresh) on a table larger than the page cache otherwise pays a read() for most pages it
 * walks: 17.6 µs per lookup against 12.5 µs mapped, with 200k tokens stored (bench/ROUNDS.md, tenth round). Writes
 * still go through the WAL as before. A mapped file turns an I/O error into a signal instead of an error code; the
 * file is only ever changed by SQLite itself (a restore refuses to run while a server has it open).
 */
export const MEMORY_MAP_BYTES = 256 * 1024 * 1024;

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
  // Said explicitly because a larger cache is a trap. When an insert splits b-tree pages, SQLite renumbers the new
  // pages through a temporary page number past 1 GiB (balance_nonroot), and the next COMMIT, truncating the cache to
  // the file's size, then walks every slot of the cache's hash table (pcache1TruncateUnsafe): a cost that grows with
  // the cache. Random keys split index pages many times a second under load (token ids did until they were ordered by
  // time): at 64 MiB this cost ≈ 17 µs more CPU per opaque token than SQLite's default (A/B, 10 runs), more than the
  // reads gained. Misses go to the OS cache, or to the memory map below.
  db.exec(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
  db.exec(`PRAGMA mmap_size = ${MEMORY_MAP_BYTES}`);
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
