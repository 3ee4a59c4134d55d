import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import * as oidc from 'openid-client';
import { PLATFORM_CHAIN } from '../../src/audit/index.js';
import { openAccountPage, submitForm } from '../support/account-portal.js';
import { Browser } from '../support/browser.js';
import { cliAgainst } from '../support/cli.js';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** A tiny retention window, so the purge is due within the test. */
const PURGE_AFTER_SECONDS = 3;

/** Reads the SQLite file as an attacker with a copy would: what is left of the account after the purge. */
function storedTraces(server: TestServer, world: World) {
  const db = new DatabaseSync(path.join(server.dataDir, 'tessera.db'), { readOnly: true });
  try {
    const account = db.prepare('SELECT * FROM accounts WHERE id = ?').get(world.accountId) as Record<string, unknown>;
    const count = (sql: string) => Number((db.prepare(sql).get(world.accountId) as { n: number }).n);
    return {
      account,
      withEmail: Number((db.prepare('SELECT count(*) AS n FROM accounts WHERE email = ?').get(world.email) as { n: number }).n),
      memberships: count('SELECT count(*) AS n FROM memberships WHERE account_id = ?'),
      groupMemberships: count('SELECT count(*) AS n FROM group_members WHERE account_id = ?'),
    };
  } finally {
    db.close();
  }
}

async function untilPurgeDue(server: TestServer, accountId: string) {
  const deletion = (await server.tessera.accountDeletion.scheduleOf(accountId))!;
  const wait = deletion.purgeAfter.getTime() - Date.now() + 50;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

describe('account deletion', () => {
  let server: TestServer;
  let cli: ReturnType<typeof cliAgainst>;

  beforeAll(async () => {
    server = await startTestServer({ env: { ACCOUNT_PURGE_AFTER: String(PURGE_AFTER_SECONDS) } });
    cli = cliAgainst(server.cliEnv);
  });
  afterAll(() => server.destroy());

  it('through the API: needs the password, then ends every session and refresh token at once', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world, { scope: 'openid email offline_access account' });
    const { browser } = await openAccountPage(server.issuer, world.email, PASSWORD);
    const remove = (body: unknown) =>
      fetch(`${server.issuer}/account/api/account`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await remove({ password: 'not the password 42' })).status).toBe(401);
    expect((await remove({})).status).toBe(401);
    expect(await server.tessera.accountDeletion.scheduleOf(world.accountId)).toBeNull();

    const deleted = await remove({ password: PASSWORD });
    expect(deleted.status).toBe(200);
    const body = (await deleted.json()) as { purgeAfter: string };
    expect(Date.parse(body.purgeAfter)).toBeGreaterThan(Date.now() - 1000);

    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const afterwards = await fetch(`${server.issuer}/account/api/sessions`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(afterwards.status).toBe(401);
    expect(await server.tessera.sessions.list(world.accountId)).toEqual([]);
    // The other browser's cookie leads back to the sign-in page, where the password no longer works.
    const page = await browser.follow(await browser.get(`${server.issuer}/account`), server.issuer);
    expect(page.body).toContain('name="password"');
    expect((await (await openLoginPage(server.issuer, world)).post(world.email, PASSWORD)).status).toBe(401);
    expect((await cli(`user enable --email ${world.email}`)).code).toBe(2);
  });

  it('counts wrong passwords against the sign-in lockout: a token holder cannot guess faster here', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world, { scope: 'openid account' });
    const remove = (password: string) =>
      fetch(`${server.issuer}/account/api/account`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ password }),
      });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) statuses.push((await remove(`wrong guess number ${attempt}`)).status);
    // Past the threshold (10 per account and address) the block starts.
    expect(statuses).toEqual([...Array(11).fill(401), 429]);
    const blocked = await remove(PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await server.tessera.accountDeletion.scheduleOf(world.accountId)).toBeNull();
  });

  it('from the account page: password again behind the CSRF token, then signed out', async () => {
    const world = await seedWorld(server.tessera);
    const { browser, page } = await openAccountPage(server.issuer, world.email, PASSWORD, new Browser());
    expect(page.body).toContain('href="/account/delete"');
    const confirm = await browser.get(`${server.issuer}/account/delete`);
    expect(confirm.status).toBe(200);

    const forged = await browser.post(`${server.issuer}/account/delete`, { csrf: 'forged', password: PASSWORD });
    expect(forged.status).toBe(403);
    const wrong = await submitForm(browser, server.issuer, confirm, /\/account\/delete$/, { password: 'not the password 42' });
    expect(wrong.status).toBe(400);
    expect((await server.tessera.accounts.findById(world.accountId))!.disabled).toBe(false);

    const done = await submitForm(browser, server.issuer, wrong, /\/account\/delete$/, { password: PASSWORD });
    expect(done.status).toBe(200);
    expect(done.body).toContain('Account deleted');
    expect((await server.tessera.accounts.findById(world.accountId))!.disabled).toBe(true);
    expect((await browser.follow(await browser.get(`${server.issuer}/account`), server.issuer)).body).toContain('name="password"');
  });

  it('purges the personal data after the window, keeps the audit chains verifiable, and a second run is harmless', async () => {
    const world = await seedWorld(server.tessera);
    const tenant = await server.tessera.tenants.getBySlug(world.tenantSlug);
    await server.tessera.accessControl.createGroup(tenant.id, 'night-shift');
    await server.tessera.accessControl.addGroupMember(tenant.id, 'night-shift', world.accountId);
    expect((await (await openLoginPage(server.issuer, world)).post(world.email, PASSWORD)).status).toBe(303);

    const requested = await cli(`user delete --email ${world.email}`);
    expect(requested).toMatchObject({ code: 0, json: { id: world.accountId, disabled: true } });
    // Asking again keeps the first schedule.
    expect((await cli(`user delete --email ${world.email}`)).json.purgeAfter).toBe(requested.json.purgeAfter);
    // Not yet: the window has not passed.
    expect(await server.tessera.accountDeletion.purgeDue()).not.toContain(world.accountId);
    expect(storedTraces(server, world).withEmail).toBe(1);

    await untilPurgeDue(server, world.accountId);
    const first = await cli('user purge-due');
    expect(first.code).toBe(0);
    expect(first.json.purged).toContain(world.accountId);

    const traces = storedTraces(server, world);
    expect(traces.withEmail).toBe(0);
    expect(traces.account).toMatchObject({ email: `deleted-${world.accountId}@purged.invalid`, name: null, mfa: null, disabled: 1 });
    expect(String(traces.account.password_hash)).not.toMatch(/argon2/);
    expect(traces.memberships).toBe(0);
    expect(traces.groupMemberships).toBe(0);
    expect(await server.tessera.accounts.findByEmail(world.email)).toBeNull();

    const second = await cli('user purge-due');
    expect(second).toMatchObject({ code: 0, json: { purged: [] } });
    expect(storedTraces(server, world)).toEqual(traces);

    // The trail keeps its events (by account id) and both chains still verify.
    const platform = await server.tessera.audit.query({ chain: PLATFORM_CHAIN, subject: world.accountId, limit: 50 });
    expect(platform.map((event) => event.type)).toEqual(expect.arrayContaining(['account.deletion_requested', 'account.purged']));
    const inCompany = await server.tessera.audit.query({ chain: tenant.id, subject: world.accountId, limit: 50 });
    expect(inCompany.map((event) => event.type)).toContain('login.succeeded');
    expect(platform.filter((event) => event.type === 'account.purged')).toHaveLength(1);
    expect(platform.filter((event) => event.type === 'account.deletion_requested')).toHaveLength(1);
    expect(JSON.stringify(platform)).not.toContain(world.email);
    expect((await cli('audit verify --platform')).json).toMatchObject({ intact: true });
    expect((await cli(`audit verify --tenant ${world.tenantSlug}`)).json).toMatchObject({ intact: true });
  });
});

describe('purging beside another instance', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { ACCOUNT_PURGE_AFTER: '1' } });
  });
  afterAll(() => server.destroy());

  it('purges each due account once when two processes run the job at the same moment', async () => {
    const worlds = await Promise.all([seedWorld(server.tessera), seedWorld(server.tessera), seedWorld(server.tessera)]);
    for (const world of worlds) await server.tessera.accountDeletion.request((await server.tessera.accounts.findById(world.accountId))!);
    for (const world of worlds) await untilPurgeDue(server, world.accountId);

    // The CLI opens the same store as a second instance would.
    const [inServer, inCli] = await Promise.all([server.tessera.accountDeletion.purgeDue(), cliAgainst(server.cliEnv)('user purge-due')]);
    const ids = worlds.map((world) => world.accountId);
    const purged = [...inServer, ...(inCli.json.purged as string[])].filter((id) => ids.includes(id));
    expect(purged.sort()).toEqual([...ids].sort());
    for (const world of worlds) {
      const events = await server.tessera.audit.query({ chain: PLATFORM_CHAIN, subject: world.accountId, limit: 10 });
      expect(events.filter((event) => event.type === 'account.purged')).toHaveLength(1);
      expect(storedTraces(server, world)).toMatchObject({ withEmail: 0, memberships: 0 });
    }
  });
});

describe('the scheduled purge job', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { ACCOUNT_PURGE_AFTER: '1', ACCOUNT_PURGE_INTERVAL: '1' } });
  });
  afterAll(() => server.destroy());

  it('purges a deleted account in the server process, without the CLI', async () => {
    const world = await seedWorld(server.tessera);
    const account = (await server.tessera.accounts.findById(world.accountId))!;
    await server.tessera.accountDeletion.request(account);
    let purgedAt: Date | null = null;
    for (let attempt = 0; attempt < 100 && !purgedAt; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      purgedAt = (await server.tessera.accountDeletion.scheduleOf(world.accountId))!.purgedAt;
    }
    expect(purgedAt).not.toBeNull();
    expect(storedTraces(server, world)).toMatchObject({ withEmail: 0, memberships: 0 });
  });
});
