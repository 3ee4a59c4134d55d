import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminRoutes, type AdminServices } from '../../src/admin/index.js';
import { Browser } from '../support/browser.js';
import { cliAgainst } from '../support/cli.js';
import { PASSWORD, type World } from '../support/fixtures.js';
import { waitForMail } from '../support/outbox.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { adminClient, bootstrapCompany, machineToken, type AdminCompany } from './admin-api-world.js';

/** The admin API against the real server, with tokens from real grants: validation, scopes, pagination, audit, OpenAPI. */
describe('admin API', () => {
  let server: TestServer;
  let acme: AdminCompany;
  let api: ReturnType<typeof adminClient>;

  beforeAll(async () => {
    server = await startTestServer();
    api = adminClient(server);
    acme = await bootstrapCompany(server, 'acme');
  });
  afterAll(() => server.destroy());

  it('refuses requests without a valid token with 401 problem details', async () => {
    for (const token of [undefined, 'not-a-token', `${acme.token}x`]) {
      const answer = await api('GET', '/company', token);
      expect(answer.status).toBe(401);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status: 401, title: 'Unauthorized', type: expect.any(String), detail: expect.any(String) });
    }
  });

  it('bootstraps only with a password for an account that does not exist yet', async () => {
    const refused = await cliAgainst(server.cliEnv)(`admin bootstrap --tenant ${acme.slug} --email nobody-${randomUUID().slice(0, 6)}@example.com`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--password-stdin');
    // Again for the existing admin: one more client, the same role.
    const again = await cliAgainst(server.cliEnv)(`admin bootstrap --tenant ${acme.slug} --email ${acme.adminEmail}`);
    expect(again).toMatchObject({ code: 0, json: { admin: { id: acme.adminId, role: 'company-admin' } } });
    expect(again.json.client.client_id).not.toBe(acme.clientId);
  });

  it('answers the company named by the token', async () => {
    const answer = await api('GET', '/company', acme.token);
    expect(answer).toMatchObject({ status: 200, body: { id: acme.id, slug: acme.slug } });
  });

  it('names every invalid and every unknown field, with 422 problem details', async () => {
    const answer = await api('POST', '/users', acme.token, { email: 'not an email', roles: ['ok', 'bad name'], is_admin: true });
    expect(answer.status).toBe(422);
    expect(answer.type).toContain('application/problem+json');
    const fields = answer.body.errors.map((error: { field: string }) => error.field).sort();
    expect(fields).toEqual(['email', 'is_admin', 'roles.1']);
    const query = await api('GET', '/roles?limit=many&owner=x', acme.token);
    expect(query.status).toBe(422);
    expect(query.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['query.limit', 'query.owner']);
  });

  it('reads a query operator in JSON as a wrong value for its field, never as an operator', async () => {
    for (const body of [{ email: { $ne: null } }, { email: 'x@example.com', roles: { $gt: '' } }]) {
      const answer = await api('POST', '/memberships', acme.token, body);
      expect(answer.status).toBe(422);
      expect(answer.body.errors[0].field).toBe(Object.keys(body).at(-1));
    }
    const client = await api('PATCH', `/clients/${acme.clientId}`, acme.token, { client_secret: 'chosen', client_name: { $ne: null } });
    expect(client.status).toBe(422);
    expect(client.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['client_name', 'client_secret']);
  });

  it('answers malformed JSON, a wrong media type and an unknown route with problem details, never 500', async () => {
    const malformed = await api('POST', '/groups', acme.token, '{"name": ');
    expect(malformed).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json') });
    const notJson = await fetch(`${server.issuer}/admin/api/v1/groups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.token}`, 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(notJson.status).toBe(415);
    const unknown = await api('GET', '/nothing-here', acme.token);
    expect(unknown).toMatchObject({ status: 404, body: { status: 404 } });
    const missing = await api('GET', '/roles/no-such-role', acme.token);
    expect(missing).toMatchObject({ status: 404, body: { status: 404 } });
    const wrongMethod = await api('PUT', '/company', acme.token, {});
    expect(wrongMethod).toMatchObject({ status: 405, type: expect.stringContaining('application/problem+json') });
    for (const body of ['[]', 'null', '"text"', '{"__proto__": {"admin": true}, "name": "x"}', '{"constructor": {}, "name": "x"}']) {
      const answer = await api('POST', '/groups', acme.token, body);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.type).toContain('application/problem+json');
    }
    expect((await api('GET', '/groups/x', acme.token)).status).toBe(404);
  });

  it('lets admin:read read but not write', async () => {
    const registered = await server.tessera.clients.register(
      { grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'admin:read' },
      acme.id,
    );
    const reader = await machineToken(server, registered.clientId, String(registered.metadata.client_secret), acme.resource, 'admin:read');
    expect((await api('GET', '/roles', reader)).status).toBe(200);
    const write = await api('POST', '/groups', reader, { name: 'readers-cannot' });
    expect(write).toMatchObject({ status: 403, body: { status: 403, title: 'Forbidden' } });
    expect((await api('GET', '/groups/readers-cannot', acme.token)).status).toBe(404);
  });

  it('walks every page of a list with the cursor', async () => {
    const names = Array.from({ length: 7 }, (_, index) => `paged-${index}`);
    for (const name of names) expect((await api('POST', '/roles', acme.token, { name, permissions: ['devices:read'] })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await api('GET', `/roles?limit=3${cursor ? `&cursor=${cursor}` : ''}`, acme.token);
      expect(answer.status).toBe(200);
      seen.push(...answer.body.items.map((role: { name: string }) => role.name));
      cursor = answer.body.next_cursor;
      pages += 1;
    } while (cursor);
    expect(seen.filter((name) => name.startsWith('paged-'))).toEqual(names);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 3));
    expect((await api('GET', '/roles?cursor=forged', acme.token)).body.errors[0].field).toBe('query.cursor');
  });

  it('walks every page of the company\'s users, from the store', async () => {
    const invited: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const answer = await api('POST', '/users', acme.token, { email: `paged-${index}-${randomUUID().slice(0, 6)}@example.com` });
      invited.push(answer.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await api('GET', `/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, acme.token);
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...answer.body.items.map((user: { id: string }) => user.id));
      cursor = answer.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([...invited, acme.adminId]));
  });

  it('records each admin change in the company\'s audit trail, newest first and without secrets', async () => {
    const created = await api('POST', '/clients', acme.token, { client_name: 'Reports', grant_types: ['client_credentials'], response_types: [], scope: 'devices:read' });
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    expect(created.body.client_secret).toEqual(expect.any(String));
    const rotated = await api('POST', `/clients/${clientId}/secret`, acme.token);
    expect(rotated.body.client_secret).not.toBe(created.body.client_secret);
    expect((await api('PATCH', `/clients/${clientId}`, acme.token, { client_name: 'Reports 2' })).body.client_name).toBe('Reports 2');

    const trail = await api('GET', `/audit-events?resource=${encodeURIComponent(`client:${clientId}`)}`, acme.token);
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((event: { details: { action: string } }) => event.details.action)).toEqual([
      'client.updated',
      'client.secret_rotated',
      'client.created',
    ]);
    expect(trail.body.items[0]).toMatchObject({ type: 'admin.changed', actor: acme.clientId });
    const text = JSON.stringify(trail.body);
    expect(text).not.toContain(created.body.client_secret);
    expect(text).not.toContain(rotated.body.client_secret);
    const verified = await cliAgainst(server.cliEnv)(`audit verify --tenant ${acme.slug}`);
    expect(verified.json).toMatchObject({ intact: true });
  });

  it('invites a user with a set-password mail, disables, enables and resets their second factor', async () => {
    const email = `invited-${randomUUID().slice(0, 8)}@example.com`;
    const invited = await api('POST', '/users', acme.token, { email, name: 'Invited' });
    expect(invited).toMatchObject({ status: 201, body: { email, disabled: false, roles: [] } });
    await waitForMail(server.dataDir, email, /password-reset\/confirm\?token=/);
    const userId = invited.body.id as string;
    expect((await api('POST', `/users/${userId}/disable`, acme.token)).body.disabled).toBe(true);
    expect((await api('POST', `/users/${userId}/enable`, acme.token)).body.disabled).toBe(false);
    expect((await api('POST', `/users/${userId}/reset-mfa`, acme.token)).body.mfa_enrolled).toBe(false);
    const again = await api('POST', '/users', acme.token, { email });
    expect(again.status).toBe(409);
    const events = await api('GET', `/users/${userId}/audit-events?limit=2`, acme.token);
    expect(events.body.items).toHaveLength(2);
    expect(events.body.next_cursor).toEqual(expect.any(String));
  });

  it('gives a user\'s token the admin scopes of their roles in the company (authorization code flow)', async () => {
    const registered = await server.tessera.clients.register({
      redirect_uris: ['https://rp.example/callback'],
      grant_types: ['authorization_code'],
      scope: 'openid admin:read admin:write',
    });
    const config = await discover(server.issuer, registered.clientId, String(registered.metadata.client_secret));
    const world = { email: acme.adminEmail } as World;
    const tokens = await signInForTokens(config, world, { scope: 'openid admin:read admin:write', resource: acme.resource }, new Browser());
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['admin:read', 'admin:write']));
    const group = await api('POST', '/groups', tokens.access_token, { name: `by-user-${randomUUID().slice(0, 6)}` });
    expect(group.status).toBe(201);
    const trail = await api('GET', `/audit-events?resource=${encodeURIComponent(`group:${group.body.name}`)}`, acme.token);
    expect(trail.body.items[0]).toMatchObject({ actor: acme.adminId, details: { action: 'group.created' } });
    // The same person without the admin role gets no admin scope.
    const plain = await server.tessera.accounts.create({ email: `plain-${randomUUID().slice(0, 8)}@example.com`, password: PASSWORD });
    await server.tessera.tenants.addMember(acme.id, plain.id, []);
    const plainTokens = await signInForTokens(config, { email: plain.email } as World, { scope: 'openid admin:read', resource: acme.resource }, new Browser());
    expect(plainTokens.scope ?? '').not.toContain('admin:');
    expect((await api('GET', '/company', plainTokens.access_token)).status).toBe(403);
  });

  it('serves an OpenAPI 3.1 document with every route, generated from the validating schemas', async () => {
    const response = await fetch(`${server.issuer}/admin/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = JSON.parse(await response.text());
    expect(document.openapi).toBe('3.1.0');
    for (const route of adminRoutes({} as AdminServices)) {
      const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(document.paths[path]?.[route.method]).toMatchObject({ security: [{ bearer: [route.scope] }] });
    }
    const invite = document.paths['/users'].post.requestBody.content['application/json'].schema;
    expect(invite).toMatchObject({ additionalProperties: false, required: ['email'] });
    expect(invite.properties.email).toMatchObject({ type: 'string', format: 'email' });
  });
});
