import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { PASSWORD, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { adminClient, bootstrapCompany, machineToken, type AdminCompany } from './admin-api-world.js';

/**
 * Admin changes that take access away: they act at once, through the access-change and account-deletion services,
 * and a token whose holder lost its standing stops working at the admin API before it expires.
 */
describe('admin API changes that take access away', () => {
  let server: TestServer;
  let acme: AdminCompany;
  let api: ReturnType<typeof adminClient>;
  let rp: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    api = adminClient(server);
    acme = await bootstrapCompany(server, 'acme');
    const registered = await server.tessera.clients.register({
      redirect_uris: ['https://rp.example/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid offline_access admin:read admin:write',
    });
    rp = await discover(server.issuer, registered.clientId, String(registered.metadata.client_secret));
  });
  afterAll(() => server.destroy());

  async function member(roles: string[]): Promise<{ id: string; email: string }> {
    const email = `member-${randomUUID().slice(0, 8)}@example.com`;
    const account = await server.tessera.accounts.create({ email, password: PASSWORD });
    await server.tessera.tenants.addMember(acme.id, account.id, roles);
    return { id: account.id, email };
  }

  async function userTokens(email: string) {
    return signInForTokens(rp, { email } as World, { scope: 'openid offline_access admin:read', resource: acme.resource }, new Browser());
  }

  it('narrowing a role ends its holders\' grants at once, so their refresh token stops working', async () => {
    expect((await api('POST', '/roles', acme.token, { name: 'auditor', permissions: ['admin:read'] })).status).toBe(201);
    const user = await member(['auditor']);
    const tokens = await userTokens(user.email);
    expect((await api('GET', '/company', tokens.access_token)).status).toBe(200);
    const narrowed = await api('PUT', '/roles/auditor/permissions', acme.token, { permissions: [] });
    expect(narrowed).toMatchObject({ status: 200, body: { permissions: [] } });
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a removed member\'s token stops at the admin API, and the removal is in the trail', async () => {
    expect((await api('POST', '/roles', acme.token, { name: 'helper', permissions: ['admin:read'] })).status).toBe(201);
    const user = await member(['helper']);
    const tokens = await userTokens(user.email);
    expect((await api('GET', '/roles', tokens.access_token)).status).toBe(200);
    expect((await api('DELETE', `/memberships/${user.id}`, acme.token)).status).toBe(204);
    expect((await api('GET', '/roles', tokens.access_token)).status).toBe(401);
    expect((await api('GET', `/users/${user.id}`, acme.token)).status).toBe(404);
    const trail = await api('GET', `/audit-events?subject=${user.id}&limit=5`, acme.token);
    const types = trail.body.items.map((event: { type: string; details: { action?: string } }) => event.details.action ?? event.type);
    expect(types).toEqual(expect.arrayContaining(['membership.removed', 'access.revoked']));
  });

  it('takes members and roles from groups, and changes a member\'s direct roles', async () => {
    const user = await member([]);
    expect((await api('POST', '/groups', acme.token, { name: 'night-shift' })).status).toBe(201);
    expect((await api('POST', '/groups/night-shift/members', acme.token, { user_id: user.id })).body.member_ids).toEqual([user.id]);
    expect((await api('POST', '/groups/night-shift/roles', acme.token, { role: 'company-admin' })).body.roles).toEqual(['company-admin']);
    expect((await api('DELETE', '/groups/night-shift/roles/company-admin', acme.token)).body.roles).toEqual([]);
    expect((await api('DELETE', `/groups/night-shift/members/${user.id}`, acme.token)).body.member_ids).toEqual([]);
    expect((await api('DELETE', `/groups/night-shift/members/${user.id}`, acme.token)).status).toBe(404);
    expect((await api('PUT', `/memberships/${user.id}/roles`, acme.token, { roles: ['company-admin'] })).body.roles).toEqual(['company-admin']);
    expect((await api('PUT', `/memberships/${user.id}/roles`, acme.token, { roles: [] })).body.roles).toEqual([]);
    const unknown = await api('PUT', `/memberships/${user.id}/roles`, acme.token, { roles: ['no-such-role'] });
    expect(unknown.body.errors).toEqual([{ field: 'roles.0', message: 'the company has no role no-such-role' }]);
  });

  it('deletes a role everywhere it is held, so a new role of the same name gives the old holders nothing', async () => {
    expect((await api('POST', '/roles', acme.token, { name: 'temp-role', permissions: ['admin:read'] })).status).toBe(201);
    const direct = await member(['temp-role']);
    const viaGroup = await member([]);
    expect((await api('POST', '/groups', acme.token, { name: 'temp-group' })).status).toBe(201);
    await api('POST', '/groups/temp-group/members', acme.token, { user_id: viaGroup.id });
    await api('POST', '/groups/temp-group/roles', acme.token, { role: 'temp-role' });
    const tokens = await userTokens(direct.email);

    expect((await api('DELETE', '/roles/temp-role', acme.token)).status).toBe(204);
    expect((await api('GET', '/roles/temp-role', acme.token)).status).toBe(404);
    expect((await api('GET', `/users/${direct.id}`, acme.token)).body.roles).toEqual([]);
    expect((await api('GET', '/groups/temp-group', acme.token)).body.roles).toEqual([]);
    await expect(oidc.refreshTokenGrant(rp, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await api('POST', '/roles', acme.token, { name: 'temp-role', permissions: ['admin:read'] })).status).toBe(201);
    const again = await userTokens(direct.email);
    expect(again.scope ?? '').not.toContain('admin:read');

    expect((await api('DELETE', '/groups/temp-group', acme.token)).status).toBe(204);
    expect((await api('GET', '/groups/temp-group', acme.token)).status).toBe(404);
    expect((await api('DELETE', '/groups/temp-group', acme.token)).status).toBe(404);
  });

  it('lists and deletes the company\'s resource servers', async () => {
    const identifiers = [1, 2, 3].map((index) => `https://api-${index}-${randomUUID().slice(0, 6)}.example`);
    for (const identifier of identifiers) {
      expect((await api('POST', '/resource-servers', acme.token, { identifier, scopes: ['things:read'] })).status).toBe(201);
    }
    const first = await api('GET', '/resource-servers?limit=2', acme.token);
    const second = await api('GET', `/resource-servers?limit=2&cursor=${first.body.next_cursor}`, acme.token);
    const listed = [...first.body.items, ...second.body.items].map((server: { identifier: string }) => server.identifier);
    expect(second.body.next_cursor).toBeNull();
    expect(listed).toEqual([...identifiers].sort());
    expect((await api('DELETE', `/resource-servers/${encodeURIComponent(identifiers[0]!)}`, acme.token)).status).toBe(204);
    expect((await api('GET', `/resource-servers/${encodeURIComponent(identifiers[0]!)}`, acme.token)).status).toBe(404);
    // The admin API's own resource server belongs to the platform: no company can remove it.
    expect((await api('DELETE', `/resource-servers/${encodeURIComponent(acme.resource)}`, acme.token)).status).toBe(404);
  });

  it('deletes an account that is the company\'s alone, and refuses one that other companies share', async () => {
    const user = await member([]);
    const deleted = await api('DELETE', `/users/${user.id}`, acme.token);
    expect(deleted).toMatchObject({ status: 202, body: { id: user.id, disabled: true, purge_after: expect.any(String) } });
    expect((await api('POST', `/users/${user.id}/enable`, acme.token)).status).toBe(409);
    expect((await api('GET', `/users/${user.id}`, acme.token)).body.disabled).toBe(true);

    const other = await server.tessera.tenants.create(`other-${randomUUID().slice(0, 8)}`, 'Other');
    const shared = await member([]);
    await server.tessera.tenants.addMember(other.id, shared.id, []);
    expect((await api('DELETE', `/users/${shared.id}`, acme.token)).status).toBe(409);
    expect((await api('GET', `/users/${shared.id}`, acme.token)).body.disabled).toBe(false);
  });

  it('a deleted admin client\'s token stops working at once', async () => {
    const created = await api('POST', '/clients', acme.token, {
      client_name: 'Short-lived admin',
      grant_types: ['client_credentials'],
      response_types: [],
      scope: 'admin:read',
    });
    const token = await machineToken(server, created.body.client_id, created.body.client_secret, acme.resource, 'admin:read');
    expect((await api('GET', '/company', token)).status).toBe(200);
    expect((await api('DELETE', `/clients/${created.body.client_id}`, acme.token)).status).toBe(204);
    expect((await api('GET', '/company', token)).status).toBe(401);
  });
});
