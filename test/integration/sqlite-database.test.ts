import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, PAGE_CACHE_KIB } from '../../src/storage/sqlite/database.js';

/** The settings every connection to the embedded store runs with, read back from SQLite itself. */
describe('openDatabase', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-sqlite-'));
  const db = openDatabase(path.join(dir, 'nested', 'tessera.db'));
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown>)[0];

  it('uses WAL with synchronous NORMAL, enforces foreign keys and waits for locks', () => {
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(1);
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
  });

  it('keeps the page cache small, since commits that split pages scan all of it (negative: KiB)', () => {
    expect(pragma('cache_size')).toBe(-PAGE_CACHE_KIB);
    expect(PAGE_CACHE_KIB).toBeLessThanOrEqual(4_096);
  });
});
