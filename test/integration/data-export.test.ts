import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openAccountPage } from '../support/account-portal.js';
import type { Browser } from '../support/browser.js';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Stand-ins for what must never leave the store, planted where the real values live. */
const TOTP_SECRET_MARKER = 'v1:planted-totp-secret-ciphertext';
const RECOVERY_HASH_MARKER = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';

interface Export {
  profile: { id: string; email: string; name: string | null };
  mfa: { enrolled: boolean; recoveryCodesLeft?: number };
  companies: Array<{ slug: string; roles: string[]; groups: Array<{ name: string; roles: string[] }> }>;
  sessions: Array<{ id: string; clients: string[] }>;
  auditEvents: Array<{ type: string; trail: string }>;
}

/** GDPR access right: the account's own data as JSON, from the API and from the account page. */
describe('personal-data export', () => {
  let server: TestServer;
  let world: World;
  let tokens: Awaited<ReturnType<typeof signInForTokens>>;
  let withoutScope: Awaited<ReturnType<typeof signInForTokens>>;
  let portal: { browser: Browser; page: { body: string } };

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    const tenant = await server.tessera.tenants.getBySlug(world.tenantSlug);
    await server.tessera.accessControl.createRole(tenant.id, 'vnc', 'device dev_123: devices:vnc');
    await server.tessera.accessControl.createGroup(tenant.id, 'night-shift');
    await server.tessera.accessControl.addGroupMember(tenant.id, 'night-shift', world.accountId);
    await server.tessera.accessControl.addGroupRole(tenant.id, 'night-shift', 'vnc');
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    tokens = await signInForTokens(web, world, { scope: 'openid email offline_access account' });
    withoutScope = await signInForTokens(web, world, { scope: 'openid email' });
    portal = await openAccountPage(server.issuer, world.email, PASSWORD);
    // Planted after signing in (a second factor would be asked for), as MfaService stores one (encrypted secret, hashed
    // recovery codes): the export says "on", no more. (encrypted secret, hashed recovery codes): the export says "on", no more.
    const account = (await server.tessera.accounts.findById(world.accountId))!;
    await server.tessera.stores.accounts.update({
      ...account,
      mfa: { totpSecret: TOTP_SECRET_MARKER, recoveryCodeHashes: [RECOVERY_HASH_MARKER], enrolledAt: new Date() },
    });
  });
  afterAll(() => server.destroy());

  it('gives a token with the account scope the profile, companies and roles, sessions, MFA status and own audit events', async () => {
    const response = await fetch(`${server.issuer}/account/api/export`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    const data = JSON.parse(text) as Export;

    expect(data.profile).toMatchObject({ id: world.accountId, email: world.email, name: 'Ada Lovelace' });
    expect(data.mfa).toMatchObject({ enrolled: true, recoveryCodesLeft: 1 });
    expect(data.companies).toEqual([
      expect.objectContaining({ slug: world.tenantSlug, roles: ['member'], groups: [{ name: 'night-shift', roles: ['vnc'] }] }),
    ]);
    expect(data.sessions).toHaveLength(3);
    expect(data.sessions.flatMap((session) => session.clients)).toContain(world.web.clientId);
    const types = data.auditEvents.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['login.succeeded', 'token.issued']));

    // Never a secret, a hash or a token.
    const stored = (await server.tessera.accounts.findById(world.accountId))!;
    for (const secret of [stored.passwordHash, TOTP_SECRET_MARKER, RECOVERY_HASH_MARKER, tokens.access_token, tokens.refresh_token!, PASSWORD]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/passwordHash|totpSecret|recoveryCodeHashes|argon2/);
  });

  it('refuses a token without the account scope', async () => {
    const response = await fetch(`${server.issuer}/account/api/export`, { headers: { authorization: `Bearer ${withoutScope.access_token}` } });
    expect(response.status).toBe(401);
  });

  it('is a download linked from the account page', async () => {
    const { browser, page } = portal;
    expect(page.body).toContain('href="/account/export"');
    const download = await browser.get(`${server.issuer}/account/export`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);
    const data = JSON.parse(download.body) as Export;
    expect(data.profile.email).toBe(world.email);
    expect(download.body).not.toContain(TOTP_SECRET_MARKER);
  });
});
