import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { cliAgainst } from '../support/cli.js';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** `backup` and `restore` of the embedded store, end to end: a restored store signs its users in. */
describe('backup and restore', () => {
  let source: TestServer;
  let world: World;
  let scratch: string;
  let backupFile: string;

  beforeAll(async () => {
    source = await startTestServer();
    world = await seedWorld(source.tessera);
    scratch = mkdtempSync(path.join(tmpdir(), 'tessera-backup-'));
    backupFile = path.join(scratch, 'tessera-backup.db');
  });
  afterAll(async () => {
    await source.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  const freshDataDir = () => mkdtempSync(path.join(scratch, 'data-'));
  const storeIn = (dataDir: string) => ({ ...source.cliEnv, DATA_DIR: dataDir, SQLITE_PATH: path.join(dataDir, 'tessera.db') });

  it('backs up the store of a running server, restores it into a fresh data folder, and the account signs in there', async () => {
    const backup = await cliAgainst(source.cliEnv)(`backup --out ${backupFile}`);
    expect(backup).toMatchObject({ code: 0, json: { file: backupFile, records: { tenants: 1, accounts: 1, clients: 3 } } });
    expect(backup.json.schemaVersion).toBeGreaterThan(0);
    // It holds password hashes and client secrets: for its owner's eyes only.
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);

    const dataDir = freshDataDir();
    const restore = await cliAgainst(storeIn(dataDir))(`restore --in ${backupFile}`);
    expect(restore).toMatchObject({ code: 0, json: { replaced: false, records: { tenants: 1, accounts: 1, clients: 3 } } });
    // Written beside the target and renamed into place: nothing temporary is left behind.
    expect(existsSync(path.join(dataDir, 'tessera.db'))).toBe(true);
    expect(leftovers(dataDir)).toEqual([]);

    const restored = await startTestServer({ dataDir });
    try {
      const login = await openLoginPage(restored.issuer, world);
      const answer = await login.post(world.email, PASSWORD);
      expect(answer.status).toBe(303);
    } finally {
      await restored.stop();
    }
  });

  it('refuses to overwrite an existing backup file', async () => {
    const result = await cliAgainst(source.cliEnv)(`backup --out ${backupFile}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('already exists');
  });

  it('refuses to replace a store that holds data unless forced', async () => {
    const dataDir = freshDataDir();
    const cli = cliAgainst(storeIn(dataDir));
    expect((await cli('tenant create other --name Other')).code).toBe(0);

    const refused = await cli(`restore --in ${backupFile}`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not empty \(.*tenants: 1.*\); pass --force/);
    expect((await cli('tenant require-mfa other')).code).toBe(0);

    const forced = await cli(`restore --in ${backupFile} --force`);
    expect(forced).toMatchObject({ code: 0, json: { replaced: true } });
    expect((await cli('tenant require-mfa other')).stderr).toContain('no company with slug other');
    expect((await cli(`tenant require-mfa ${world.tenantSlug}`)).code).toBe(0);
  });

  it('refuses to replace the store of a running server, even when forced', async () => {
    const result = await cliAgainst(source.cliEnv)(`restore --in ${backupFile} --force`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('in use');
    expect(await source.tessera.stores.accounts.findByEmail(world.email)).not.toBeNull();
  });

  it.each([
    ['a file that is not SQLite', (file: string) => writeFileSync(file, 'not a database at all, just some text'.repeat(40))],
    ['an SQLite file without a schema_version table', (file: string) => sqliteFile(file, 'CREATE TABLE t (x)')],
    [
      'a Tessera file from a newer version',
      (file: string) => sqliteFile(file, 'CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (9999)'),
    ],
  ])('refuses to restore %s and leaves no store behind', async (_label, make) => {
    const file = path.join(scratch, `bad-${Math.random().toString(36).slice(2)}.db`);
    make(file);
    const dataDir = freshDataDir();
    const result = await cliAgainst(storeIn(dataDir))(`restore --in ${file}`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a Tessera database|newer Tessera/);
    expect(existsSync(path.join(dataDir, 'tessera.db'))).toBe(false);
  });

  it('requires --out and --in', async () => {
    expect((await cliAgainst(source.cliEnv)('backup')).stderr).toContain('--out is required');
    expect((await cliAgainst(source.cliEnv)('restore')).stderr).toContain('--in is required');
  });
});

/** Files in the folder other than the store itself and its SQLite companions. */
function leftovers(dataDir: string): string[] {
  return readdirSync(dataDir).filter((name) => !/^tessera\.db(-wal|-shm|-journal)?$/.test(name));
}

function sqliteFile(file: string, sql: string): void {
  const db = new DatabaseSync(file);
  db.exec(sql);
  db.close();
}
