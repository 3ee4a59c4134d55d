import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import * as oidc from 'openid-client';
import {
  fieldContext,
  FieldEncryption,
  generateFieldKeySetting,
  keyIdOf,
  parseFieldKeys,
} from '../../src/crypto/index.js';
import { openAccountPage, secretOnPage, submitForm } from '../support/account-portal.js';
import { Browser } from '../support/browser.js';
import { cliAgainst } from '../support/cli.js';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { authorizationRequest, discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { totpCode } from '../support/totp.js';

const STEP_MS = 30_000;

/**
 * Names, TOTP secrets and client secrets at rest: what the SQLite file holds (read directly, not through
 * Tessera), that the protocol still works on top, and a full key rotation down to dropping the old key.
 */
describe('field encryption at rest', () => {
  const firstKey = generateFieldKeySetting('k1');
  let server: TestServer;
  let world: World;
  /** An account and a client written the way versions before field encryption wrote them. */
  let legacy: { accountId: string; clientId: string; clientSecret: string };
  let totpSecret: string;
  const usedSteps = new Set<number>();

  beforeAll(async () => {
    server = await startTestServer({ env: { FIELD_ENCRYPTION_KEYS: firstKey } });
    world = await seedWorld(server.tessera);
  });
  afterAll(() => server.destroy());

  const file = () => server.tessera.config.sqlitePath;
  /** A second connection to the server's file, as an attacker with a copy of it (or a backup) would have. */
  function raw<T>(work: (db: DatabaseSync) => T): T {
    const db = new DatabaseSync(file());
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      return work(db);
    } finally {
      db.close();
    }
  }
  const storedName = (accountId: string) =>
    raw((db) => (db.prepare('SELECT name FROM accounts WHERE id = ?').get(accountId) as { name: string }).name);
  const storedSecret = (clientId: string) =>
    raw((db) => {
      const row = db.prepare('SELECT metadata FROM clients WHERE client_id = ?').get(clientId) as { metadata: string };
      return String((JSON.parse(row.metadata) as Record<string, unknown>).client_secret);
    });
  const storedTotpSecret = (accountId: string) =>
    raw((db) => {
      const row = db.prepare("SELECT json_extract(mfa, '$.totpSecret') AS v FROM accounts WHERE id = ?").get(accountId);
      return (row as { v: string }).v;
    });
  /** The key id of every protected value in the file ('plaintext' for a value in clear). */
  const keyIdsInFile = () =>
    raw((db) => {
      const queries = [
        'SELECT name AS v FROM accounts',
        "SELECT json_extract(mfa, '$.totpSecret') AS v FROM accounts",
        "SELECT json_extract(metadata, '$.client_secret') AS v FROM clients",
      ];
      const values = queries.flatMap((sql) => db.prepare(sql).all() as Array<{ v: string | null }>);
      return new Set(values.flatMap(({ v }) => (v === null ? [] : [keyIdOf(v) ?? 'plaintext'])));
    });

  /** A client_credentials request authenticated with HTTP Basic (client_secret_basic), as raw as it gets. */
  async function basicTokenRequest(clientId: string, clientSecret: string): Promise<Response> {
    const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
    const credentials = Buffer.from(pair).toString('base64');
    return fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${credentials}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'devices:read' }),
    });
  }

  /** A code for a time step no earlier request used (the server accepts each step once, ±1 step of now). */
  function freshTotpCode(): string {
    const now = Math.floor(Date.now() / STEP_MS);
    const step = [now, now + 1, now - 1].find((candidate) => !usedSteps.has(candidate))!;
    usedSteps.add(step);
    return totpCode(totpSecret, step * STEP_MS);
  }

  async function restartWith(keys: string): Promise<void> {
    const { dataDir, port } = server;
    await server.stop();
    server = await startTestServer({ dataDir, port, env: { FIELD_ENCRYPTION_KEYS: keys } });
    // The server moves fields to the current key in the background; wait for that pass to end.
    await server.tessera.fieldReencryption.idle();
  }

  async function signInWithSecondFactor(): Promise<oidc.TokenEndpointResponse> {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const { url, codeVerifier: verifier, state } = await authorizationRequest(web, { scope: 'openid' });
    const browser = new Browser();
    const login = await browser.follow(await browser.get(url.toString()), server.issuer);
    const credentials = { email: world.email, password: PASSWORD };
    const second = await submitForm(browser, server.issuer, login, /\/login$/, credentials);
    expect(second.body).toContain('Two-step verification');
    let page = await submitForm(browser, server.issuer, second, /\/second-factor$/, { code: freshTotpCode() });
    if (page.body.includes('Allow access')) page = await submitForm(browser, server.issuer, page, /\/confirm$/);
    const callback = new URL(page.location!);
    return oidc.authorizationCodeGrant(web, callback, { pkceCodeVerifier: verifier, expectedState: state });
  }

  it('keeps names and client secrets out of the SQLite file; the services still see them in clear', async () => {
    const name = storedName(world.accountId);
    expect(keyIdOf(name)).toBe('k1');
    expect(keyIdOf(storedSecret(world.web.clientId))).toBe('k1');
    expect(keyIdOf(storedSecret(world.service.clientId))).toBe('k1');
    // The bytes on disk (database and write-ahead log) hold neither secret nor name anywhere, in any table.
    const onDisk = [file(), `${file()}-wal`].map((path) => readFileSync(path).toString('latin1')).join('');
    for (const secret of [world.web.clientSecret, world.service.clientSecret]) expect(onDisk).not.toContain(secret);
    expect(onDisk).not.toContain('Ada Lovelace');
    // The lookup field stays plain on purpose: sign-in finds the account by its email.
    expect(onDisk).toContain(world.email);

    expect((await server.tessera.accounts.findById(world.accountId))?.name).toBe('Ada Lovelace');
    const client = await server.tessera.stores.clients.find(world.web.clientId);
    expect(client?.metadata.client_secret).toBe(world.web.clientSecret);
  });

  it('authenticates a client_secret_basic token request against the encrypted secret', async () => {
    const response = await basicTokenRequest(world.service.clientId, world.service.clientSecret);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    const wrong = await basicTokenRequest(world.service.clientId, `${world.service.clientSecret}x`);
    expect(wrong.status).toBe(401);
  });

  it('keeps reading rows stored in clear by earlier versions, and encrypts them in place while serving', async () => {
    const other = await seedWorld(server.tessera);
    legacy = { accountId: other.accountId, clientId: other.service.clientId, clientSecret: other.service.clientSecret };
    raw((db) => {
      db.prepare("UPDATE accounts SET name = 'Grace Hopper' WHERE id = ?").run(legacy.accountId);
      db.prepare("UPDATE clients SET metadata = json_set(metadata, '$.client_secret', ?) WHERE client_id = ?").run(
        legacy.clientSecret,
        legacy.clientId,
      );
    });
    expect(storedSecret(legacy.clientId)).toBe(legacy.clientSecret);

    expect((await server.tessera.accounts.findById(legacy.accountId))?.name).toBe('Grace Hopper');
    expect((await basicTokenRequest(legacy.clientId, legacy.clientSecret)).status).toBe(200);
    expect(keyIdsInFile()).toEqual(new Set(['k1', 'plaintext']));

    // The foreground re-encryption, from a second process on the same file while the server keeps serving.
    const reencrypted = await cliAgainst(server.cliEnv)('keys reencrypt');
    expect(reencrypted.code).toBe(0);
    expect(reencrypted.json).toMatchObject({ keyId: 'k1', rewritten: 2, failed: 0, complete: true, oldKeysInUse: [] });
    expect(keyIdsInFile()).toEqual(new Set(['k1']));
    expect((await server.tessera.accounts.findById(legacy.accountId))?.name).toBe('Grace Hopper');
    expect((await basicTokenRequest(legacy.clientId, legacy.clientSecret)).status).toBe(200);
  });

  it('rotates: a new current key, every field re-encrypted under it, TOTP sign-in and tokens still work', async () => {
    const { browser } = await openAccountPage(server.issuer, world.email, PASSWORD);
    const enrol = await browser.get(`${server.issuer}/account/mfa`);
    totpSecret = secretOnPage(enrol.body);
    await submitForm(browser, server.issuer, enrol, /\/account\/mfa\/enrol$/, { code: freshTotpCode() });
    expect(storedTotpSecret(world.accountId)).toMatch(/^v1\.k1\./);

    const rotated = await cliAgainst(server.cliEnv)('keys rotate-field-key');
    expect(rotated.code).toBe(0);
    expect(rotated.json).toMatchObject({ currentKeyId: 'k2', previousKeyIds: ['k1'] });
    const setting = rotated.json.FIELD_ENCRYPTION_KEYS as string;
    expect(parseFieldKeys(setting).map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(parseFieldKeys(rotated.json.readFirst as string).map((key) => key.id)).toEqual(['k1', 'k2']);

    await restartWith(setting);

    expect(keyIdsInFile()).toEqual(new Set(['k2']));
    // The TOTP secret is still the enrolled one, now readable with the new key alone.
    const newKeyOnly = new FieldEncryption(parseFieldKeys(setting).slice(0, 1));
    const readNew = (kind: Parameters<typeof fieldContext>[0], owner: string, value: string) =>
      newKeyOnly.decrypt(value, fieldContext(kind, owner));
    expect(readNew('account.totpSecret', world.accountId, storedTotpSecret(world.accountId))).toBe(totpSecret);
    expect(readNew('account.name', legacy.accountId, storedName(legacy.accountId))).toBe('Grace Hopper');
    expect(readNew('client.secret', legacy.clientId, storedSecret(legacy.clientId))).toBe(legacy.clientSecret);

    // The foreground command finds nothing left to do and says the old key is no longer used.
    const reencrypted = await cliAgainst(server.cliEnv)('keys reencrypt');
    expect(reencrypted.code).toBe(0);
    expect(reencrypted.json).toMatchObject({ keyId: 'k2', rewritten: 0, failed: 0, complete: true, oldKeysInUse: [] });

    const tokens = await signInWithSecondFactor();
    expect(tokens.access_token).toBeTruthy();
    expect((await basicTokenRequest(world.service.clientId, world.service.clientSecret)).status).toBe(200);
    expect((await basicTokenRequest(legacy.clientId, legacy.clientSecret)).status).toBe(200);
  });

  it('works with the old key removed from the configuration', async () => {
    const current = (await cliAgainst(server.cliEnv)('keys field-usage')).json;
    expect(current.oldKeysInUse).toEqual([]);
    const newKeyOnly = server.cliEnv.FIELD_ENCRYPTION_KEYS!.split(',')[0]!;

    await restartWith(newKeyOnly);

    const usage = await cliAgainst(server.cliEnv)('keys field-usage');
    expect(usage.json).toMatchObject({ currentKeyId: 'k2', oldKeysInUse: [] });
    const keyIds = Object.values(usage.json.keyUsage as Record<string, Record<string, number>>).flatMap(Object.keys);
    expect(keyIds).toEqual(['k2', 'k2', 'k2']);
    expect((await signInWithSecondFactor()).access_token).toBeTruthy();
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const plain = await seedWorld(server.tessera);
    expect((await signInForTokens(web, { ...world, email: plain.email })).access_token).toBeTruthy();
    expect((await basicTokenRequest(world.service.clientId, world.service.clientSecret)).status).toBe(200);
    expect((await basicTokenRequest(legacy.clientId, legacy.clientSecret)).status).toBe(200);
  });
});
