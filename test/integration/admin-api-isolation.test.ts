import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browser } from '../support/browser.js';
import { cliAgainst } from '../support/cli.js';
import type { World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { adminClient, bootstrapCompany, machineToken, type AdminCompany } from './admin-api-world.js';

/**
 * Company A's admin token against company B's objects, through path, body and query: every attempt fails and B's
 * objects stay as they were. Also the platform operator's boundary and the rate limit's problem details.
 */
describe('admin API isolation between companies', () => {
  let server: TestServer;
  let a: AdminCompany;
  let b: AdminCompany;
  let api: ReturnType<typeof adminClient>;
  let bSessionId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = adminClient(server);
    a = await bootstrapCompany(server, 'alpha');
    b = await bootstrapCompany(server, 'beta');
    // A session of B's admin, made by a real sign-in.
    const registered = await server.tessera.clients.register({
      redirect_uris: ['https://rp.example/callback'],
      grant_types: ['authorization_code'],
      scope: 'openid',
    });
    const config = await discover(server.issuer, registered.clientId, String(registered.metadata.client_secret));
    await signInForTokens(config, { email: b.adminEmail } as World, { scope: 'openid' }, new Browser());
    const sessions = await api('GET', `/users/${b.adminId}/sessions`, b.token);
    expect(sessions.body.items).toHaveLength(1);
    bSessionId = sessions.body.items[0].id;
  });
  afterAll(() => server.destroy());

  it('cannot read or change B\'s users through the path', async () => {
    for (const [method, path] of [
      ['GET', `/users/${b.adminId}`],
      ['POST', `/users/${b.adminId}/disable`],
      ['POST', `/users/${b.adminId}/reset-mfa`],
      ['GET', `/users/${b.adminId}/audit-events`],
    ] as const) {
      const answer = await api(method, path, a.token);
      expect(answer).toMatchObject({ status: 404, body: { status: 404 } });
    }
    expect((await api('PUT', `/memberships/${b.adminId}/roles`, a.token, { roles: [] })).status).toBe(404);
    expect((await api('DELETE', `/memberships/${b.adminId}`, a.token)).status).toBe(404);
    expect((await api('DELETE', `/users/${b.adminId}`, a.token)).status).toBe(404);
    const users = await api('GET', '/users?limit=200', a.token);
    expect(users.body.items.map((user: { id: string }) => user.id)).toEqual([a.adminId]);
    expect((await api('GET', `/users/${b.adminId}`, b.token)).body).toMatchObject({ disabled: false, roles: ['company-admin'] });
  });

  it('cannot read or revoke B\'s sessions', async () => {
    expect((await api('GET', `/users/${b.adminId}/sessions`, a.token)).status).toBe(404);
    expect((await api('DELETE', `/users/${b.adminId}/sessions/${bSessionId}`, a.token)).status).toBe(404);
    expect((await api('DELETE', `/users/${b.adminId}/sessions`, a.token)).status).toBe(404);
    // Naming A's own admin with B's session id finds nothing either.
    expect((await api('DELETE', `/users/${a.adminId}/sessions/${bSessionId}`, a.token)).status).toBe(404);
    const still = await api('GET', `/users/${b.adminId}/sessions`, b.token);
    expect(still.body.items.map((session: { id: string }) => session.id)).toEqual([bSessionId]);
  });

  it('cannot read, change, rotate or delete B\'s clients', async () => {
    for (const [method, path, body] of [
      ['GET', `/clients/${b.clientId}`, undefined],
      ['PATCH', `/clients/${b.clientId}`, { client_name: 'taken over' }],
      ['POST', `/clients/${b.clientId}/secret`, undefined],
      ['DELETE', `/clients/${b.clientId}`, undefined],
    ] as const) {
      expect((await api(method, path, a.token, body)).status).toBe(404);
    }
    const listed = await api('GET', '/clients?limit=200', a.token);
    const listedIds = listed.body.items.map((client: { client_id: string }) => client.client_id);
    expect(listedIds).toContain(a.clientId);
    expect(listedIds).not.toContain(b.clientId);
    expect(JSON.stringify(listed.body)).not.toContain(a.clientSecret);
    // B's client is untouched: its secret still gets a token.
    await expect(machineToken(server, b.clientId, b.clientSecret, b.resource, 'admin:read')).resolves.toEqual(expect.any(String));
    expect((await api('GET', `/clients/${b.clientId}`, b.token)).body.client_name).not.toBe('taken over');
  });

  it('cannot reach B\'s users through the body', async () => {
    expect((await api('POST', '/groups', a.token, { name: 'ops' })).status).toBe(201);
    expect((await api('POST', '/groups/ops/members', a.token, { user_id: b.adminId })).status).toBe(404);
    expect((await api('GET', '/groups/ops', a.token)).body.member_ids).toEqual([]);
    // A company id in the body is an unknown field, not a way to pick the company.
    const foreign = await api('POST', '/roles', a.token, { name: 'foreign', permissions: [], tenant_id: b.id });
    expect(foreign.body.errors).toEqual([{ field: 'tenant_id', message: 'unknown field' }]);
  });

  it('cannot read B\'s audit events or resource servers through the query or the path', async () => {
    const bEvents = await api('GET', `/audit-events?subject=${b.adminId}`, a.token);
    expect(bEvents).toMatchObject({ status: 200, body: { items: [], next_cursor: null } });
    const bClient = await api('GET', `/audit-events?resource=${encodeURIComponent(`client:${b.clientId}`)}`, a.token);
    expect(bClient.body.items).toEqual([]);
    expect((await api('GET', `/company?company=${b.id}`, a.token)).body.errors).toEqual([{ field: 'query.company', message: 'unknown field' }]);
    for (const query of [`company=${b.id}`, `chain=${b.id}`, `tenant=${b.slug}`]) {
      const answer = await api('GET', `/audit-events?${query}`, a.token);
      expect(answer.status).toBe(422);
      expect(answer.body.errors[0].field).toBe(`query.${query.split('=')[0]}`);
    }
    const identifier = `https://beta-api-${b.slug}.example`;
    expect((await api('POST', '/resource-servers', b.token, { identifier, scopes: ['things:read'] })).status).toBe(201);
    expect((await api('GET', `/resource-servers/${encodeURIComponent(identifier)}`, a.token)).status).toBe(404);
    expect((await api('DELETE', `/resource-servers/${encodeURIComponent(identifier)}`, a.token)).status).toBe(404);
    expect((await api('GET', '/resource-servers', a.token)).body.items).toEqual([]);
    expect((await api('GET', `/resource-servers/${encodeURIComponent(identifier)}`, b.token)).status).toBe(200);
    // Each company sees its own events only.
    const aEvents = await api('GET', '/audit-events?limit=200', a.token);
    expect(aEvents.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(aEvents.body)).not.toContain(b.adminId);
  });

  it('keeps company creation to the platform operator', async () => {
    const created = await cliAgainst(server.cliEnv)('admin platform-client');
    const platform = await machineToken(server, created.json.client.client_id, created.json.client.client_secret, a.resource, 'admin:platform');
    const company = await api('POST', '/companies', platform, { slug: `gamma-${b.slug}`, name: 'Gamma' });
    expect(company).toMatchObject({ status: 201, body: { name: 'Gamma' } });
    expect((await api('GET', `/companies/${company.body.id}`, platform)).status).toBe(200);
    const listed = await api('GET', '/companies?limit=200', platform);
    expect(listed.body.items.map((each: { slug: string }) => each.slug)).toEqual(expect.arrayContaining([a.slug, b.slug, `gamma-${b.slug}`]));
    expect((await api('GET', '/companies', a.token)).status).toBe(403);
    expect((await api('GET', '/company', platform)).status).toBe(403);
    expect((await api('POST', '/companies', a.token, { slug: `delta-${b.slug}`, name: 'Delta' })).status).toBe(403);
    // A company's client cannot be given the platform scope.
    const sneaky = await api('POST', '/clients', a.token, { client_name: 'x', grant_types: ['client_credentials'], response_types: [], scope: 'admin:platform' });
    expect(sneaky.body.errors[0].field).toBe('scope');
  });
});

describe('admin API rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { RATE_LIMIT_ADMIN: '3' } });
  });
  afterAll(() => server.destroy());

  it('answers 429 as problem details with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      last = await fetch(`${server.issuer}/admin/api/v1/company`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(last!.headers.get('content-type')).toContain('application/problem+json');
    expect(last!.headers.get('retry-after')).toEqual(expect.any(String));
    expect(await last!.json()).toMatchObject({ status: 429, title: 'Too many requests' });
  });
});
