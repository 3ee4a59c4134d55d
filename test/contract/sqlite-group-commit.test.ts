import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AuditTrail } from '../../src/audit/audit-trail.js';
import { SqliteAuditRepository } from '../../src/storage/sqlite/audit-repository.js';
import { openDatabase } from '../../src/storage/sqlite/database.js';
import {
  BatchRolledBackError,
  DatabaseClosedError,
  GroupCommit,
  groupCommitOf,
  MAX_GATHERING_TURNS,
} from '../../src/storage/sqlite/group-commit.js';
import { createSqliteStores, SqliteArtifactStore } from '../../src/storage/sqlite/index.js';

/** Group commit on a real SQLite file: what each caller gets back, and what is on disk afterwards. */
describe('SQLite group commit', () => {
  let dir: string;
  let file: string;
  let db: DatabaseSync;
  let statements: string[];
  const opened: DatabaseSync[] = [];

  /** A second connection to the same file, as another process (the CLI) would have. */
  const otherConnection = () => {
    const other = new DatabaseSync(file);
    opened.push(other);
    return other;
  };
  const rowsIn = (table: string) => (otherConnection().prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const commits = () => statements.filter((sql) => sql === 'COMMIT').length;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tessera-group-commit-'));
    file = path.join(dir, 'tessera.db');
    db = openDatabase(file);
    opened.push(db);
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE)');
    // Transaction statements go through exec; counting them counts transactions.
    statements = [];
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      statements.push(sql);
      return exec(sql);
    };
  });

  afterEach(() => {
    for (const connection of opened.splice(0)) if (connection.isOpen) connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const insert = (label: string) => () => Number(db.prepare('INSERT INTO items (label) VALUES (?)').run(label).lastInsertRowid);

  it('commits the writes of one event-loop turn in one transaction and answers each caller in order', async () => {
    const writes = groupCommitOf(db);
    const pending = Array.from({ length: 100 }, (_, i) => writes.enqueue(insert(`item-${i}`)));
    // Nothing is written before the flush: another connection sees an empty table.
    expect(rowsIn('items')).toBe(0);
    const ids = await Promise.all(pending);
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(statements).toEqual(['BEGIN IMMEDIATE', 'COMMIT']);
    expect(rowsIn('items')).toBe(100);
  });

  it('flushes a lone eager write at the end of its own turn', async () => {
    const write = groupCommitOf(db).enqueue(insert('alone'));
    await nextTurn();
    expect(commits()).toBe(1);
    expect(await write).toBe(1);
  });

  it('keeps an eager batch open while each turn brings more writes, and flushes at the first turn that brings none', async () => {
    const writes = groupCommitOf(db);
    // Two requests of one cohort, then a third a turn later (the next cohort): one commit carries all three.
    const pending = [writes.enqueue(insert('a')), writes.enqueue(insert('b'))];
    await nextTurn();
    pending.push(writes.enqueue(insert('c')));
    expect(await Promise.all(pending)).toEqual([1, 2, 3]);
    expect(commits()).toBe(1);
  });

  it('stops gathering after MAX_GATHERING_TURNS, so a steady stream of writes cannot hold a batch back', async () => {
    const writes = groupCommitOf(db);
    const pending: Array<Promise<number>> = [];
    for (let turn = 0; turn < 2 * MAX_GATHERING_TURNS; turn += 1) {
      pending.push(writes.enqueue(insert(`turn-${turn}-a`)), writes.enqueue(insert(`turn-${turn}-b`)));
      await nextTurn();
    }
    // Writes came every turn; the first ones were committed while the stream went on.
    expect(commits()).toBeGreaterThanOrEqual(1);
    expect(await Promise.all(pending)).toHaveLength(4 * MAX_GATHERING_TURNS);
  });

  it('lets deferred writes of several turns share one commit, and eager writes commit without them', async () => {
    const writes = groupCommitOf(db);
    // Two turns apart, both within the window: one commit for both once the window closes.
    const deferred = [writes.enqueueWithin(50, insert('a'))];
    await nextTurn();
    deferred.push(writes.enqueueWithin(50, insert('b')));
    await nextTurn();
    expect(rowsIn('items')).toBe(0);
    expect(await Promise.all(deferred)).toEqual([1, 2]);
    expect(commits()).toBe(1);

    // An eager write does not wait for the window, and leaves a deferred one to its own deadline and commit: the
    // deferred writes' pages do not ride along in (and make dearer) every eager commit.
    const late = writes.enqueueWithin(50, insert('c'));
    const eager = writes.enqueue(insert('d'));
    expect(await eager).toBe(3);
    expect(commits()).toBe(2);
    expect(rowsIn('items')).toBe(3);
    expect(await late).toBe(4);
    expect(commits()).toBe(3);
  });

  it('never stretches a short wait to a longer one queued before it', async () => {
    const writes = groupCommitOf(db);
    const long = writes.enqueueWithin(60_000, insert('background'));
    const short = writes.enqueueWithin(5, insert('awaited'));
    // Both leave with the short one's batch, long before the long window.
    expect(await Promise.all([long, short])).toEqual([1, 2]);
    expect(commits()).toBe(1);
  });

  it('appends background audit events in one commit across several turns, chained in order', async () => {
    const audit = new SqliteAuditRepository(db);
    const trail = new AuditTrail(audit);
    const failures: unknown[] = [];
    for (let turn = 0; turn < 3; turn += 1) {
      trail.recordLater({ type: 'token.issued', tenantId: 'acme', actor: `client-${turn}` }, (error) => failures.push(error));
      await nextTurn();
    }
    expect(rowsIn('audit_events')).toBe(0);
    // An awaited append joins the waiting batch and brings its deadline forward: one commit for all four.
    await trail.record({ type: 'admin.changed', tenantId: 'acme', actor: 'admin' });
    expect(commits()).toBe(1);
    expect(failures).toEqual([]);
    expect((await trail.verify('acme')).firstBreak).toBeNull();
    expect((await trail.query({ chain: 'acme', limit: 10 })).map((event) => event.actor)).toEqual(['admin', 'client-2', 'client-1', 'client-0']);
  });

  it('tells a deferred write that failed or was never run, and keeps quiet about one that lasted', async () => {
    const writes = groupCommitOf(db);
    const failures: unknown[] = [];
    writes.deferWithin(5, insert('once'), (error) => failures.push(error));
    writes.deferWithin(5, insert('once'), (error) => failures.push(error));
    await writes.enqueueWithin(5, insert('after'));
    expect(failures.map(String)).toEqual([expect.stringMatching(/UNIQUE constraint failed/)]);
    expect(rowsIn('items')).toBe(2);
    db.close();
    writes.deferWithin(5, insert('closed'), (error) => failures.push(error));
    expect(failures[1]).toBeInstanceOf(DatabaseClosedError);
  });

  it('chains appends of one batch made through two repositories on one connection, and re-reads the head per batch', async () => {
    const trails = [new AuditTrail(new SqliteAuditRepository(db)), new AuditTrail(new SqliteAuditRepository(db))];
    await Promise.all(Array.from({ length: 10 }, (_, i) => trails[i % 2]!.record({ type: 'token.issued', tenantId: 'acme', actor: `client-${i}` })));
    expect(commits()).toBe(1);
    // Another connection appends between batches: the next batch must chain onto its link, not the one it wrote last.
    const cli = new AuditTrail(new SqliteAuditRepository(otherConnection()));
    await cli.record({ type: 'admin.changed', tenantId: 'acme', actor: 'cli' });
    await trails[0]!.record({ type: 'token.issued', tenantId: 'acme', actor: 'client-10' });
    const verified = await trails[1]!.verify('acme');
    expect(verified).toEqual({ chain: 'acme', events: 12, firstBreak: null });
  });

  it('gives a failing write its own error and commits the others', async () => {
    const writes = groupCommitOf(db);
    const results = await Promise.allSettled([
      writes.enqueue(insert('first')),
      writes.enqueue(insert('twin')),
      writes.enqueue(insert('twin')),
      writes.enqueue(insert('last')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(commits()).toBe(1);
    const labels = otherConnection().prepare('SELECT label FROM items ORDER BY id').all() as Array<{ label: string }>;
    expect(labels.map((row) => row.label)).toEqual(['first', 'twin', 'last']);
  });

  it('rejects the whole batch and keeps none of it when COMMIT fails', async () => {
    // A deferred foreign key is checked at COMMIT: the one orphan below makes COMMIT itself fail.
    db.exec(`CREATE TABLE children (id INTEGER PRIMARY KEY,
      parent_id INTEGER NOT NULL REFERENCES items (id) DEFERRABLE INITIALLY DEFERRED)`);
    const writes = groupCommitOf(db);
    const results = await Promise.allSettled([
      writes.enqueue(insert('kept?')),
      writes.enqueue(() => db.prepare('INSERT INTO children (parent_id) VALUES (999)').run()),
      writes.enqueue(insert('kept too?')),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as BatchRolledBackError;
      expect(reason).toBeInstanceOf(BatchRolledBackError);
      expect(String(reason.cause)).toMatch(/FOREIGN KEY constraint failed/);
    }
    expect(db.isTransaction).toBe(false);
    expect(rowsIn('items')).toBe(0);
    expect(rowsIn('children')).toBe(0);
    // The connection is usable again at once.
    await expect(writes.enqueue(insert('after'))).resolves.toBe(1);
  });

  it('rejects the batch when another connection holds the write lock, and recovers once it is released', async () => {
    db.exec('PRAGMA busy_timeout = 0');
    const cli = otherConnection();
    cli.exec('BEGIN IMMEDIATE');
    const writes = groupCommitOf(db);
    const results = await Promise.allSettled([writes.enqueue(insert('a')), writes.enqueue(insert('b'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/database is locked/);
    cli.exec('COMMIT');
    await expect(writes.enqueue(insert('c'))).resolves.toBe(1);
    expect(rowsIn('items')).toBe(1);
  });

  it('rejects what ran before SQLite rolled the transaction back, and runs the rest in the next batch', async () => {
    const writes = groupCommitOf(db);
    // Stands in for the errors after which SQLite rolls back on its own (disk full, I/O): the transaction ends.
    const abandon = () => {
      db.exec('ROLLBACK');
      throw new Error('disk full');
    };
    const results = await Promise.allSettled([writes.enqueue(insert('lost')), writes.enqueue(abandon), writes.enqueue(insert('saved'))]);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(BatchRolledBackError);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/disk full/);
    expect(results[2]).toEqual({ status: 'fulfilled', value: 1 });
    const labels = otherConnection().prepare('SELECT label FROM items').all() as Array<{ label: string }>;
    expect(labels.map((row) => row.label)).toEqual(['saved']);
  });

  it('caps a batch and carries the rest to the next flush', async () => {
    const writes = new GroupCommit(db, 3);
    const ids = await Promise.all(Array.from({ length: 7 }, (_, i) => writes.enqueue(insert(`item-${i}`))));
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(commits()).toBe(3);
  });

  it('puts the artifact writes of one turn in one commit, the audit append in its own, and keeps consume atomic within a batch', async () => {
    const artifacts = new SqliteArtifactStore(db);
    const trail = new AuditTrail(new SqliteAuditRepository(db));
    await Promise.all([
      artifacts.upsert('AuthorizationCode', 'code-1', { grantId: 'grant-1' }, 60),
      artifacts.upsert('AccessToken', 'token-1', { grantId: 'grant-1' }, 60),
      trail.record({ type: 'token.issued', actor: 'client-1' }),
    ]);
    expect(commits()).toBe(2);
    // Both consumes run in one transaction; exactly one flips the flag.
    const outcomes = await Promise.all([
      artifacts.consume('AuthorizationCode', 'code-1'),
      artifacts.consume('AuthorizationCode', 'code-1'),
      artifacts.consume('AuthorizationCode', 'missing'),
    ]);
    expect(outcomes).toEqual(['consumed', 'already-consumed', 'not-found']);
    expect(commits()).toBe(3);
    // A write queued after another in the same turn sees it.
    const [, consumed] = await Promise.all([
      artifacts.upsert('AuthorizationCode', 'code-2', {}, 60),
      artifacts.consume('AuthorizationCode', 'code-2'),
    ]);
    expect(consumed).toBe('consumed');
    await Promise.all([artifacts.revokeByGrantId('AuthorizationCode', 'grant-1'), artifacts.destroy('AuthorizationCode', 'code-2')]);
    expect(await artifacts.find('AuthorizationCode', 'code-1')).toBeUndefined();
    expect(await artifacts.find('AuthorizationCode', 'code-2')).toBeUndefined();
  });

  it('writes replay-detection records at once, so a replay in the same event-loop turn finds them', async () => {
    const artifacts = new SqliteArtifactStore(db);
    // oidc-provider's ReplayDetection.unique: find the jti, save it if absent. The next request's find must see it
    // even before any flush has run.
    const saving = artifacts.upsert('ReplayDetection', 'jti-digest', { iss: 'client-1' }, 60);
    expect(await artifacts.find('ReplayDetection', 'jti-digest')).toEqual({ iss: 'client-1' });
    await saving;
    // Tokens, by contrast, wait for the batch (and their caller for its commit).
    const token = artifacts.upsert('AccessToken', 'token-1', {}, 60);
    expect(await artifacts.find('AccessToken', 'token-1')).toBeUndefined();
    await token;
    expect(await artifacts.find('AccessToken', 'token-1')).toEqual({});
  });

  it('keeps every audit chain intact under 1,000 concurrent appends to 3 chains from two connections', async () => {
    // Two stores on one file stand for the server and the CLI: each connection has its own group commit.
    const server = createSqliteStores(file);
    const cli = createSqliteStores(file);
    try {
      const trails = [new AuditTrail(server.audit), new AuditTrail(cli.audit)];
      const chains = ['tenant-a', 'tenant-b', 'platform-test'];
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          trails[i % 7 === 0 ? 1 : 0]!.record({ type: 'token.issued', tenantId: chains[i % 3], actor: `client-${i}` }),
        ),
      );
      const results = await Promise.all(chains.map((chain) => trails[0]!.verify(chain)));
      expect(results.map((result) => result.firstBreak)).toEqual([null, null, null]);
      expect(results.map((result) => result.events)).toEqual([334, 333, 333]);
    } finally {
      await Promise.all([server.close(), cli.close()]);
    }
  });

  it('commits queued writes when the stores close, and refuses writes after', async () => {
    const stores = createSqliteStores(file);
    const write = stores.artifacts.upsert('Session', 'session-1', { accountId: 'acct-1' }, 60);
    await stores.close();
    await expect(write).resolves.toBeUndefined();
    await expect(stores.artifacts.upsert('Session', 'session-2', {}, 60)).rejects.toBeInstanceOf(DatabaseClosedError);
    const reopened = createSqliteStores(file);
    try {
      expect(await reopened.artifacts.find('Session', 'session-1')).toEqual({ accountId: 'acct-1' });
    } finally {
      await reopened.close();
    }
  });
});
