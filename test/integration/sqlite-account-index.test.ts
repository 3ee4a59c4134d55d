import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/storage/sqlite/database.js';
import { SqliteArtifactStore } from '../../src/storage/sqlite/artifact-store.js';

/**
 * Only sessions and grants enter the SQLite account index: a token row in it would cost every token commit one more
 * index page, for a listing the port refuses anyway. Read back from the file itself.
 */
describe('SqliteArtifactStore account index', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-account-index-'));
  const db = openDatabase(path.join(dir, 'tessera.db'));
  const store = new SqliteArtifactStore(db);
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const indexedAccountOf = (model: string, id: string) =>
    (db.prepare('SELECT account_id FROM oidc_artifacts WHERE model = ? AND id = ?').get(model, id) as { account_id: string | null })
      .account_id;

  it('indexes the account of sessions and grants, not of tokens, which still carry it in their payload', async () => {
    for (const model of ['Session', 'Grant', 'AccessToken', 'RefreshToken', 'AuthorizationCode']) {
      await store.upsert(model, `${model}-1`, { accountId: 'alice', grantId: 'g1' }, 60);
    }
    expect(indexedAccountOf('Session', 'Session-1')).toBe('alice');
    expect(indexedAccountOf('Grant', 'Grant-1')).toBe('alice');
    expect(indexedAccountOf('AccessToken', 'AccessToken-1')).toBeNull();
    expect(indexedAccountOf('RefreshToken', 'RefreshToken-1')).toBeNull();
    expect(indexedAccountOf('AuthorizationCode', 'AuthorizationCode-1')).toBeNull();
    expect(await store.find('RefreshToken', 'RefreshToken-1')).toMatchObject({ accountId: 'alice', grantId: 'g1' });
    expect((await store.listByAccount('Grant', 'alice')).map((entry) => entry.id)).toEqual(['Grant-1']);
  });
});
