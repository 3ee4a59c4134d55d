import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteClientRepository, SqliteResourceServerRepository } from '../../src/storage/sqlite/registry.js';
import { SqliteRegistryVersion } from '../../src/storage/sqlite/registry-version.js';

/** The registry version on a real file, with a hand-moved clock: two connections stand for two processes. */
describe('SqliteRegistryVersion', () => {
  let dir: string;
  let here: DatabaseSync;
  let elsewhere: DatabaseSync;
  let clock: number;
  let version: SqliteRegistryVersion;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tessera-registry-version-'));
    here = openDatabase(path.join(dir, 'tessera.db'));
    elsewhere = openDatabase(path.join(dir, 'tessera.db'));
    clock = 0;
    version = new SqliteRegistryVersion(here, 1000, () => clock);
  });
  afterEach(() => {
    here.close();
    elsewhere.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (clientId: string, tenantId: string | null = null) => ({ clientId, tenantId, metadata: { client_id: clientId }, createdAt: new Date() });

  it("changes at once with this connection's writes: create, update, delete, and a company's cascade", async () => {
    const clients = new SqliteClientRepository(here);
    const seen = [version.current()];
    await clients.create(client('a'));
    seen.push(version.current());
    await clients.updateMetadata('a', { client_id: 'a', client_name: 'A' });
    seen.push(version.current());
    await new SqliteResourceServerRepository(here).create({
      identifier: 'https://api.example',
      tenantId: null,
      scopes: ['read'],
      jwtAccessTokens: false,
      accessTokenTtl: null,
      createdAt: new Date(),
    });
    seen.push(version.current());
    here.prepare("INSERT INTO tenants (id, slug, name, created_at) VALUES ('t1', 't1', 'T', 0)").run();
    await clients.create(client('b', 't1'));
    seen.push(version.current());
    here.prepare("DELETE FROM tenants WHERE id = 't1'").run();
    seen.push(version.current());
    await clients.delete('a');
    seen.push(version.current());
    // The clock never moved: every change was seen through this connection's own triggers.
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("sees another connection's change once the recheck time has passed, not before", async () => {
    const before = version.current();
    await new SqliteClientRepository(elsewhere).create(client('c'));
    clock = 999;
    expect(version.current()).toBe(before);
    clock = 1000;
    expect(version.current()).toBeGreaterThan(before);
  });

  it('does not move with writes outside the registry', () => {
    const before = version.current();
    here.prepare("INSERT INTO tenants (id, slug, name, created_at) VALUES ('t2', 't2', 'T', 0)").run();
    clock = 5000;
    expect(version.current()).toBe(before);
  });
});
