import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';

/**
 * Writes a consistent copy of an open database to `target`, atomically: SQLite's online backup into a temporary
 * file beside the target, then a rename. Readers of `target` see the old file or the whole new one, never half.
 *
 * The copy is taken in one step (rate -1), so it is one read transaction: in WAL mode writers carry on meanwhile,
 * and the copy is the database as of one instant, never restarted by their commits. It is left in rollback
 * (DELETE) journal mode, a single self-contained file with no -wal beside it; openDatabase turns WAL back on.
 */
export async function writeSnapshot(source: DatabaseSync, target: string): Promise<void> {
  const temp = path.join(path.dirname(path.resolve(target)), `.${path.basename(target)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    await backup(source, temp, { rate: -1 });
    const copy = new DatabaseSync(temp);
    try {
      copy.exec('PRAGMA journal_mode = DELETE');
    } finally {
      copy.close();
    }
    // Password hashes, client secrets and perhaps keys: readable by the owner only, from the first byte it has
    // its final name.
    chmodSync(temp, 0o600);
    fsyncPath(temp);
    renameSync(temp, target);
    // The rename itself is durable only once the folder's entry is on disk.
    fsyncPath(path.dirname(path.resolve(target)));
  } catch (error) {
    for (const leftover of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) rmSync(leftover, { force: true });
    throw error;
  }
}

function fsyncPath(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
