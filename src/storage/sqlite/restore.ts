import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../shared/errors.js';
import { writeSnapshot } from './snapshot.js';
import { inspectStoreFile, openExistingDatabase, type StoreFileContents } from './store-file.js';

export interface RestoreSummary extends StoreFileContents {
  file: string;
  from: string;
  /** Whether a store was there before (only an empty one, or any with --force). */
  replaced: boolean;
}

/** SQLite's result codes for "another connection holds the lock". */
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/**
 * Puts a backup in place of the embedded store at `storeFile`. The backup must be a Tessera database this version
 * can read; the store it replaces must be closed by every process and, unless `force`, hold nothing. The new file
 * is written beside the old one and renamed over it, so a failure at any point leaves the old store as it was.
 */
export async function restoreStore(backupFile: string, storeFile: string, options: { force: boolean }): Promise<RestoreSummary> {
  if (!existsSync(backupFile)) throw new ValidationError(`there is no file at ${backupFile}`);
  if (path.resolve(backupFile) === path.resolve(storeFile)) throw new ValidationError('the backup is the store itself');
  const source = openExistingDatabase(backupFile, { readOnly: true });
  try {
    const contents = inspectStoreFile(source, backupFile);
    const replaced = releaseOldStore(storeFile, options.force);
    mkdirSync(path.dirname(path.resolve(storeFile)), { recursive: true });
    await writeSnapshot(source, storeFile);
    return { file: storeFile, from: backupFile, replaced, ...contents };
  } finally {
    source.close();
  }
}

/**
 * Checks the store about to be replaced and closes it cleanly. An exclusive lock proves no server or command has
 * it open: renaming a file under a running server would leave that server writing to the old one, and its -wal
 * beside the new one. Closing the last connection checkpoints the WAL and removes it, so no stale -wal can be
 * replayed into the restored file.
 */
function releaseOldStore(storeFile: string, force: boolean): boolean {
  if (!existsSync(storeFile)) return false;
  const db = openExistingDatabase(storeFile, { busyTimeoutMs: 0 });
  try {
    try {
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      if (!isLockConflict(error)) return refuseUnlessForced(force, `${storeFile} exists and is not a Tessera store (${(error as Error).message})`);
      throw new ValidationError(`the store at ${storeFile} is in use (a running server or another command): stop it, then restore`);
    }
    let contents: StoreFileContents;
    try {
      contents = inspectStoreFile(db, storeFile);
    } catch (error) {
      return refuseUnlessForced(force, (error as Error).message);
    }
    const held = Object.entries(contents.records).filter(([, count]) => count > 0);
    if (held.length > 0) {
      refuseUnlessForced(force, `the store at ${storeFile} is not empty (${held.map(([table, count]) => `${table}: ${count}`).join(', ')})`);
    }
    db.exec('ROLLBACK');
  } finally {
    db.close();
  }
  if (existsSync(`${storeFile}-wal`)) {
    throw new ValidationError(`the store at ${storeFile} was opened by another process meanwhile: stop it, then restore`);
  }
  return true;
}

function refuseUnlessForced(force: boolean, reason: string): true {
  if (!force) throw new ValidationError(`${reason}; pass --force to replace it`);
  return true;
}

function isLockConflict(error: unknown): boolean {
  const code = (error as { errcode?: number }).errcode;
  return code === SQLITE_BUSY || code === SQLITE_LOCKED;
}
