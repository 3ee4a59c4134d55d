import { describe, expect, it } from '@jest/globals';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../src/storage/sqlite/database.js';
import { MAX_WINDOWS_IN_MEMORY, SqliteSecurityCounters } from '../../src/storage/sqlite/security-counters.js';

const rowsInFile = (db: DatabaseSync) =>
  (db.prepare('SELECT COUNT(*) AS n FROM security_hits').get() as { n: number }).n;

describe('SQLite security counters: where rate-limit windows and brute-force counters live', () => {
  it('keeps per-IP windows in memory (a new process starts them afresh) but login failures in the file', async () => {
    const db = openDatabase(':memory:');
    let now = 1_000_000;
    const first = new SqliteSecurityCounters(db, () => now);
    expect(await first.hit('rate:token:10.0.0.1', 60)).toBe(1);
    expect(await first.hit('rate:token:10.0.0.1', 60)).toBe(2);
    await first.recordFailure('login:alice', 900, now);
    expect(rowsInFile(db)).toBe(0);

    const restarted = new SqliteSecurityCounters(db, () => now);
    expect(await restarted.hit('rate:token:10.0.0.1', 60)).toBe(1);
    expect(await restarted.readFailures('login:alice')).toEqual({ count: 1, lastFailureAt: now });

    now += 60_000;
    expect(await restarted.hit('rate:token:10.0.0.1', 60)).toBe(1);
    db.close();
  });

  it('counts new windows in the file once memory is full, and never gives a key a second window', async () => {
    const db = openDatabase(':memory:');
    let now = 1_000_000;
    const counters = new SqliteSecurityCounters(db, () => now);
    for (let i = 0; i < MAX_WINDOWS_IN_MEMORY; i++) await counters.hit(`rate:token:ip-${i}`, 60);
    expect(rowsInFile(db)).toBe(0);

    expect(await counters.hit('rate:token:overflow', 60)).toBe(1);
    expect(rowsInFile(db)).toBe(1);
    now += 30_000;
    // Half a window later the old windows are still live: the key stays in the file, as does a new key.
    expect(await counters.hit('rate:token:overflow', 60)).toBe(2);
    expect(await counters.hit('rate:token:later', 60)).toBe(1);
    expect(rowsInFile(db)).toBe(2);
    expect(await counters.hit('rate:token:ip-0', 60)).toBe(2);

    // Once every window written to the file has closed, memory (swept of closed windows) takes new keys again.
    now += 60_001;
    expect(await counters.hit('rate:token:overflow', 60)).toBe(1);
    expect(await counters.hit('rate:token:fresh', 60)).toBe(1);
    expect(await counters.hit('rate:token:fresh', 60)).toBe(2);
    expect(rowsInFile(db)).toBe(2);
    db.close();
  });
});
