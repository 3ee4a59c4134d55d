import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { loadConfig } from '../../src/config/index.js';
import { generateSigningKey } from '../../src/crypto/index.js';
import { Browser } from '../support/browser.js';
import { cliAgainst } from '../support/cli.js';
import { API, seedWorld, type World } from '../support/fixtures.js';
import { fetchJwks, verifyJwt } from '../support/jwt.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { until } from '../support/until.js';

/** RFC 9068 access tokens per resource server: each API's own algorithm, the claims gateways need, a cacheable JWKS. */
describe('JWT access tokens', () => {
  let server: TestServer;
  let world: World;
  let companyId: string;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    companyId = (await server.tessera.tenants.getBySlug(world.tenantSlug)).id;
  });
  afterAll(() => server.destroy());

  it.each(['ES256', 'RS256', 'EdDSA'])('signs with the algorithm the resource server was registered with (%s)', async (alg) => {
    const cli = cliAgainst(server.cliEnv);
    const resource = `https://${alg.toLowerCase()}-${world.tenantSlug}.example`;
    const created = await cli(`resource create --id ${resource} --scopes "reports:read" --jwt --alg ${alg}`);
    expect(created).toMatchObject({ code: 0, json: { identifier: resource, signingAlg: alg } });
    // A machine client owned by the company: its tokens name the company too.
    const client = await server.tessera.clients.register(
      { client_id: `reports-${alg}-${world.tenantSlug}`, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'reports:read' },
      companyId,
    );
    const config = await discover(server.issuer, client.clientId, String(client.metadata.client_secret));
    const token = await oidc.clientCredentialsGrant(config, { scope: 'reports:read', resource });

    const { header, payload } = verifyJwt(token.access_token, await fetchJwks(server.issuer));
    expect(header).toMatchObject({ typ: 'at+jwt', alg });
    expect(typeof header.kid).toBe('string');
    expect(payload).toMatchObject({ iss: server.issuer, aud: resource, scope: 'reports:read', client_id: client.clientId, sub: client.clientId, company: companyId });

    // The issue is audited in the company's own chain (written after the response: give it a moment).
    let issued: Awaited<ReturnType<typeof server.tessera.audit.query>> = [];
    await until(async () => {
      const events = await server.tessera.audit.query({ chain: companyId, limit: 50 });
      issued = events.filter((event) => event.type === 'token.issued' && event.actor === client.clientId);
      return issued.length > 0;
    });
    expect(issued).toHaveLength(1);
    expect(issued[0]!.details).toEqual({ grantType: 'client_credentials', scope: 'reports:read' });
  });

  it('puts sub, client_id, scope and the user\'s company into a user\'s token', async () => {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world, { scope: 'openid devices:read', resource: API });
    const { header, payload } = verifyJwt(tokens.access_token, await fetchJwks(server.issuer));
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    expect(payload).toMatchObject({ aud: API, sub: world.accountId, client_id: world.web.clientId, scope: 'devices:read', company: companyId });
  });

  it('binds a user\'s JWT to a DPoP key (cnf.jkt), and such a token cannot be exchanged for another (RFC 8693)', async () => {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const dpop = oidc.getDPoPHandle(web, await oidc.randomDPoPKeyPair());
    const tokens = await signInForTokens(web, world, { scope: 'openid devices:read', resource: API }, new Browser(), { DPoP: dpop });
    const { payload } = verifyJwt(tokens.access_token, await fetchJwks(server.issuer));
    expect(payload.cnf?.jkt).toEqual(expect.any(String));
    const exchangerClient = await server.tessera.clients.register({
      grant_types: ['urn:ietf:params:oauth:grant-type:token-exchange'],
      redirect_uris: [],
      response_types: [],
      scope: 'devices:read',
    });
    const exchanger = await discover(server.issuer, exchangerClient.clientId, String(exchangerClient.metadata.client_secret));
    await expect(
      oidc.genericGrantRequest(exchanger, 'urn:ietf:params:oauth:grant-type:token-exchange', {
        subject_token: tokens.access_token,
        subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('leaves the company out of a platform client\'s token rather than guessing', async () => {
    const service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
    const token = await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API });
    const { payload } = verifyJwt(token.access_token, await fetchJwks(server.issuer));
    expect(payload.company).toBeUndefined();
    expect(payload.sub).toBe(world.service.clientId);
  });

  it('refuses an algorithm it does not offer, with a reason', async () => {
    const result = await cliAgainst(server.cliEnv)('resource create --id https://hs.example --scopes a --jwt --alg HS256');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ES256, RS256, EdDSA/);
    expect(await server.tessera.stores.resourceServers.find('https://hs.example')).toBeNull();
  });

  it('serves the JWKS with kids, public parts only, and caching headers a gateway can revalidate', async () => {
    const response = await fetch(`${server.issuer}/jwks`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys.map((key) => key.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
    for (const key of keys) {
      expect(typeof key.kid).toBe('string');
      expect(key).not.toHaveProperty('d');
    }
    // An explicit Cache-Control, or fetch adds `no-cache`, which asks the server to skip revalidation.
    const revalidated = await fetch(`${server.issuer}/jwks`, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
    expect(revalidated.status).toBe(304);
  });

  it('refuses a configured key set that cannot sign with every algorithm', () => {
    const jwks = JSON.stringify({ keys: [generateSigningKey('RS256'), generateSigningKey('ES256')] });
    expect(() => loadConfig({ JWKS: jwks, COOKIE_KEYS: 'k'.repeat(32) })).toThrow(/missing EdDSA/);
  });
});
