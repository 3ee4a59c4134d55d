import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { API, seedWorld, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
/** An API validated by introspection (opaque tokens), understanding the same scopes as the JWT API. */
const OPAQUE_API = 'https://devices-internal.example';

/** RFC 8693: a service exchanges the user's token for a narrower one for the next API, on the user's behalf. */
describe('token exchange', () => {
  let server: TestServer;
  let world: World;
  let web: oidc.Configuration;
  let exchanger: oidc.Configuration;
  let exchangerId: string;
  let userToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    await server.tessera.resourceServers.register({ identifier: OPAQUE_API, scopes: 'devices:read devices:write', jwtAccessTokens: false });
    web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const client = await server.tessera.clients.register({
      client_name: 'Device Gateway',
      grant_types: [GRANT],
      redirect_uris: [],
      response_types: [],
      scope: 'devices:read devices:write',
    });
    exchangerId = client.clientId;
    exchanger = await discover(server.issuer, client.clientId, String(client.metadata.client_secret));
    userToken = (await signInForTokens(web, world, { scope: 'openid devices:read', resource: OPAQUE_API })).access_token;
  });
  afterAll(() => server.destroy());

  const exchange = (config: oidc.Configuration, params: Record<string, string>) =>
    oidc.genericGrantRequest(config, GRANT, { subject_token: userToken, subject_token_type: ACCESS_TOKEN, ...params });

  it("issues a token for another API on the user's behalf, naming the service in act, and audits it", async () => {
    const issued = await exchange(exchanger, { resource: API, scope: 'devices:read' });
    expect(issued).toMatchObject({ issued_token_type: ACCESS_TOKEN, token_type: 'bearer', scope: 'devices:read' });
    const payload = JSON.parse(Buffer.from(issued.access_token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ aud: API, sub: world.accountId, client_id: exchangerId, scope: 'devices:read', act: { sub: exchangerId } });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(600);

    const tenant = await server.tessera.tenants.getBySlug(world.tenantSlug);
    const events = await server.tessera.audit.query({ chain: tenant.id, subject: world.accountId, limit: 50 });
    const recorded = events.find((event) => event.type === 'token.exchanged');
    expect(recorded).toMatchObject({ actor: exchangerId, resource: API, details: { scope: 'devices:read', from_client: world.web.clientId } });
  });

  it('keeps the audience of the subject token by default; introspection shows act', async () => {
    const issued = await exchange(exchanger, {});
    expect(issued.access_token.split('.')).toHaveLength(1);
    const info = await oidc.tokenIntrospection(exchanger, issued.access_token);
    expect(info).toMatchObject({ active: true, sub: world.accountId, client_id: exchangerId, aud: OPAQUE_API, scope: 'devices:read' });
    expect(info.act).toEqual({ sub: exchangerId });
  });

  it('exchanges RFC 9068 JWTs too, and nests earlier actors in act along a chain of services', async () => {
    const userJwt = (await signInForTokens(web, world, { scope: 'openid devices:read', resource: API })).access_token;
    expect(userJwt.split('.')).toHaveLength(3);
    const hop1 = await exchange(exchanger, { subject_token: userJwt, resource: OPAQUE_API });
    expect((await oidc.tokenIntrospection(exchanger, hop1.access_token)).act).toEqual({ sub: exchangerId });
    const hop2 = await exchange(exchanger, { subject_token: hop1.access_token, resource: API });
    const payload = JSON.parse(Buffer.from(hop2.access_token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ sub: world.accountId, scope: 'devices:read', act: { sub: exchangerId, act: { sub: exchangerId } } });
  });

  it('refuses machine tokens and sender-constrained tokens as subject tokens', async () => {
    const service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
    const machineJwt = (await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API })).access_token;
    await expect(exchange(exchanger, { subject_token: machineJwt })).rejects.toMatchObject({ error: 'invalid_grant' });
    const boundJwt = (await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API }, { DPoP: oidc.getDPoPHandle(service, await oidc.randomDPoPKeyPair()) })).access_token;
    await expect(exchange(exchanger, { subject_token: boundJwt })).rejects.toMatchObject({ error: 'invalid_grant' });
    // A JWT whose payload was altered no longer verifies.
    const [header, payload, signature] = machineJwt.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
    forged.sub = world.accountId;
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    await expect(exchange(exchanger, { subject_token: tampered })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('never widens the scopes of the subject token', async () => {
    await expect(exchange(exchanger, { resource: API, scope: 'devices:read devices:write' })).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses raw requests that break the rules', async () => {
    const post = async (params: Record<string, string>) => {
      const response = await fetch(new URL('/token', server.issuer), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: GRANT, client_id: exchangerId, ...params }),
      });
      return { status: response.status, error: ((await response.json()) as { error: string }).error };
    };
    // No client authentication at all.
    expect(await post({ subject_token: userToken, subject_token_type: ACCESS_TOKEN })).toMatchObject({ status: 401, error: 'invalid_client' });
    // An unknown subject token, a wrong type, an unknown API.
    await expect(exchange(exchanger, { subject_token: 'not-a-token' })).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(exchange(exchanger, { subject_token_type: 'urn:ietf:params:oauth:token-type:id_token' })).rejects.toMatchObject({
      error: 'invalid_request',
    });
    await expect(exchange(exchanger, { resource: 'https://unknown.example' })).rejects.toMatchObject({ error: 'invalid_target' });
  });

  it('is for confidential clients registered for the grant only', async () => {
    const publicClient = await server.tessera.clients.register({
      grant_types: [GRANT],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'none',
    });
    const asPublic = await discover(server.issuer, publicClient.clientId);
    await expect(exchange(asPublic, { resource: API })).rejects.toMatchObject({ error: 'unauthorized_client' });
    // The web app holds the user's token but is not registered for the grant (oidc-provider says invalid_request).
    await expect(exchange(web, { resource: API })).rejects.toMatchObject({ error: 'invalid_request' });
  });
});
