import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import * as oidc from 'openid-client';
import { PLATFORM_CHAIN } from '../../src/audit/index.js';
import { runCli } from '../../src/cli/run.js';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { until } from '../support/until.js';

/** The hash-chained trail: events from real sign-ins, and verification that names an edited event. */
describe('audit trail', () => {
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
  });
  afterAll(() => server.destroy());

  async function cli(...args: string[]) {
    let stdout = '';
    const code = await runCli(args, {
      env: server.cliEnv,
      stdin: async () => '',
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
    });
    return { code, json: stdout ? JSON.parse(stdout) : undefined };
  }

  it('records sign-ins once each, in the trail of the company they act in, with who, from where, and no secrets', async () => {
    const login = await openLoginPage(server.issuer, world);
    expect((await login.post(world.email, 'definitely wrong 1')).status).toBe(401);
    expect((await login.post(world.email, PASSWORD)).status).toBe(303);
    const company = (await server.tessera.tenants.getBySlug(world.tenantSlug)).id;
    const events = await server.tessera.audit.query({ chain: company, subject: world.accountId, limit: 10 });
    expect(events.map((event) => event.type)).toEqual(['login.company_chosen', 'login.succeeded', 'login.failed']);
    expect(await server.tessera.audit.query({ chain: PLATFORM_CHAIN, subject: world.accountId, limit: 10 })).toEqual([]);
    expect(events[1]).toMatchObject({ actor: world.accountId, ip: '127.0.0.1', details: { factor: 'pwd' } });
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(PASSWORD);
    expect(serialized).not.toContain('definitely wrong');
    const listed = await cli('audit', 'list', '--tenant', world.tenantSlug, '--subject', world.accountId);
    expect(listed.code).toBe(0);
    expect(listed.json.events).toHaveLength(3);
  });

  it('keeps sign-ins whose company is not known yet, and unknown accounts, in the platform trail', async () => {
    const other = await seedWorld(server.tessera);
    const second = await server.tessera.tenants.create(`globex-${other.tenantSlug.slice(5)}`, 'Globex');
    await server.tessera.tenants.addMember(second.id, other.accountId, []);
    // Two companies and no `tenant` parameter: the company is chosen after the password, on the chooser page.
    expect((await (await openLoginPage(server.issuer, other)).post(other.email, PASSWORD)).status).toBe(303);
    expect((await (await openLoginPage(server.issuer, other)).post('nobody-at-all@example.com', 'wrong password 7')).status).toBe(401);
    const platform = await server.tessera.audit.query({ chain: PLATFORM_CHAIN, limit: 5 });
    expect(platform.map((event) => [event.type, event.subject])).toEqual([
      ['login.failed', null],
      ['login.succeeded', other.accountId],
    ]);
    expect(await server.tessera.audit.query({ chain: second.id, subject: other.accountId, limit: 5 })).toEqual([]);
  });

  it('records the consent, and a reused refresh token as a replay, in the company trail', async () => {
    const other = await seedWorld(server.tessera);
    const web = await discover(server.issuer, other.web.clientId, other.web.clientSecret);
    const tokens = await signInForTokens(web, other);
    const rotated = await oidc.refreshTokenGrant(web, tokens.refresh_token!);
    expect(rotated.refresh_token).toBeTruthy();
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    const company = (await server.tessera.tenants.getBySlug(other.tenantSlug)).id;
    const events = await server.tessera.audit.query({ chain: company, subject: other.accountId, limit: 20 });
    const consent = events.find((event) => event.type === 'consent.granted');
    expect(consent).toMatchObject({ actor: other.accountId, resource: `client:${other.web.clientId}` });
    expect(String(consent?.details.scope)).toContain('openid');
    await until(async () =>
      (await server.tessera.audit.query({ chain: company, subject: other.accountId, limit: 20 })).some((event) => event.type === 'token.reuse_detected'),
    );
    const replay = (await server.tessera.audit.query({ chain: company, subject: other.accountId, limit: 20 })).find(
      (event) => event.type === 'token.reuse_detected',
    );
    expect(replay).toMatchObject({ actor: other.web.clientId, details: { route: 'token', grantType: 'refresh_token' } });
    expect(JSON.stringify(events)).not.toContain(tokens.refresh_token!);
  });

  it('verifies an intact chain and names the first event someone edited in the file', async () => {
    expect((await cli('audit', 'verify', '--platform')).json).toMatchObject({ intact: true, firstBreak: null });
    const events = await server.tessera.audit.query({ chain: PLATFORM_CHAIN, limit: 1000 });
    const victim = events[Math.floor(events.length / 2)]!;

    // The application cannot edit the trail (triggers refuse it); an attacker with the file can, so the
    // test plays one: drop the guard and rewrite an event's address.
    const db = new DatabaseSync(path.join(server.dataDir, 'tessera.db'));
    expect(() => db.prepare('UPDATE audit_events SET ip = ? WHERE chain = ? AND seq = ?').run('198.51.100.66', PLATFORM_CHAIN, victim.seq)).toThrow(
      /append-only/,
    );
    db.exec('DROP TRIGGER audit_events_append_only_update');
    db.prepare('UPDATE audit_events SET ip = ? WHERE chain = ? AND seq = ?').run('198.51.100.66', PLATFORM_CHAIN, victim.seq);
    db.close();

    const verified = await cli('audit', 'verify', '--platform');
    expect(verified.code).toBe(0);
    expect(verified.json).toMatchObject({ intact: false, firstBreak: { seq: victim.seq, reason: 'hash-mismatch' } });
  });
});
