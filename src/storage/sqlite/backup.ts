import { existsSync } from 'node:fs';
import { ValidationError } from '../../shared/errors.js';
import { writeSnapshot } from './snapshot.js';
import { inspectStoreFile, openExistingDatabase, type StoreFileContents } from './store-file.js';

export interface BackupSummary extends StoreFileContents {
  file: string;
}

/**
 * Copies the embedded store at `storeFile` to `outFile` while the server may keep running: a consistent online
 * snapshot (see snapshot.ts). Refuses to overwrite an existing file, so a mistyped name never destroys an older
 * backup.
 */
export async function backupStore(storeFile: string, outFile: string): Promise<BackupSummary> {
  if (!existsSync(storeFile)) throw new ValidationError(`there is no store at ${storeFile}`);
  if (existsSync(outFile)) throw new ValidationError(`${outFile} already exists; choose a new name`);
  const db = openExistingDatabase(storeFile);
  try {
    inspectStoreFile(db, storeFile);
    await writeSnapshot(db, outFile);
  } finally {
    db.close();
  }
  // Reported from the copy, not the live store: writes may have landed between the check and the snapshot.
  const copy = openExistingDatabase(outFile, { readOnly: true });
  try {
    return { file: outFile, ...inspectStoreFile(copy, outFile) };
  } finally {
    copy.close();
  }
}
