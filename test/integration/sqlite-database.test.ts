import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MEMORY_MAP_BYTES, openDatabase, PAGE_CACHE_KIB } from '../../src/storage/sqlite/database.js';

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

  it('reads through a memory map that follows the file as another connection grows it', () => {
    expect(pragma('mmap_size')).toBe(MEMORY_MAP_BYTES);
    const other = openDatabase(path.join(dir, 'nested', 'tessera.db'));
    try {
      db.exec('CREATE TABLE IF NOT EXISTS grow (n INTEGER PRIMARY KEY, pad TEXT)');
      type Count = { n: number; last: number };
      const count = () => db.prepare('SELECT COUNT(*) AS n, MAX(n) AS last FROM grow').get() as Count;
      expect(count().n).toBe(0);
      other.exec('BEGIN');
      const insert = other.prepare('INSERT INTO grow (n, pad) VALUES (?, ?)');
      for (let n = 1; n <= 5_000; n += 1) insert.run(n, 'x'.repeat(500));
      other.exec('COMMIT');
      other.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      expect(count()).toEqual({ n: 5_000, last: 5_000 });
    } finally {
      other.close();
    }
  });
});
