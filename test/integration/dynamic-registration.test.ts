import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { loadConfig } from '../../src/config/index.js';
import { REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const INITIAL_ACCESS_TOKEN = 'initial-access-token-for-tests-0123456789abcdef';

/** RFC 7591 registration and RFC 7592 management: off by default, on by configuration, never open. */
describe('dynamic client registration', () => {
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    server = await startTestServer({ env: { DYNAMIC_REGISTRATION: 'true', REGISTRATION_INITIAL_ACCESS_TOKEN: INITIAL_ACCESS_TOKEN } });
    world = await seedWorld(server.tessera);
  });
  afterAll(() => server.destroy());

  const metadata = { client_name: 'Registered App', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code'], scope: 'openid email' };
  const register = (body: unknown, token?: string) =>
    fetch(new URL('/reg', server.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('registers a client with the initial access token; the client signs users in like any other', async () => {
    const config = await oidc.dynamicClientRegistration(new URL(server.issuer), metadata, undefined, {
      initialAccessToken: INITIAL_ACCESS_TOKEN,
      execute: [oidc.allowInsecureRequests],
    });
    const registered = config.clientMetadata();
    expect(registered.client_secret).toEqual(expect.any(String));
    expect(await server.tessera.stores.clients.find(registered.client_id)).not.toBeNull();
    const tokens = await signInForTokens(config, world, { scope: 'openid email' });
    expect(tokens.claims()?.sub).toBe(world.accountId);
  });

  it('refuses registration without the initial access token, or with a wrong one', async () => {
    const without = await register(metadata);
    expect(without.status).toBe(401);
    const wrong = await register(metadata, 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_token');
  });

  it('never lets a registered client skip consent, claim API scopes or name a company', async () => {
    for (const extra of [{ tessera_skip_consent: true }, { tessera_api_scopes: ['devices:write'] }, { tessera_company: 'acme' }]) {
      const response = await register({ ...metadata, ...extra }, INITIAL_ACCESS_TOKEN);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_client_metadata');
    }
  });

  it('lets a client read, update and delete itself with its registration access token (RFC 7592)', async () => {
    const created = (await (await register(metadata, INITIAL_ACCESS_TOKEN)).json()) as Record<string, string>;
    const manage = (method: string, token: string, body?: unknown) =>
      fetch(created.registration_client_uri!, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });

    const read = await manage('GET', created.registration_access_token!);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ client_id: created.client_id, client_name: 'Registered App' });

    const updated = await manage('PUT', created.registration_access_token!, {
      ...metadata,
      client_id: created.client_id,
      client_secret: created.client_secret,
      client_name: 'Renamed App',
    });
    expect(updated.status).toBe(200);
    const afterUpdate = (await updated.json()) as Record<string, string>;
    expect(afterUpdate.client_name).toBe('Renamed App');
    expect((await server.tessera.stores.clients.find(created.client_id!))?.metadata.client_name).toBe('Renamed App');
    // The token rotates on update: the old one is dead.
    expect(afterUpdate.registration_access_token).not.toBe(created.registration_access_token);
    expect((await manage('GET', created.registration_access_token!)).status).toBe(401);

    expect((await manage('DELETE', afterUpdate.registration_access_token!)).status).toBe(204);
    expect(await server.tessera.stores.clients.find(created.client_id!)).toBeNull();
  });

  it('is off by default: no endpoint, nothing in discovery', async () => {
    const plain = await startTestServer();
    try {
      const response = await fetch(new URL('/reg', plain.issuer), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INITIAL_ACCESS_TOKEN}` },
        body: JSON.stringify(metadata),
      });
      expect(response.status).toBe(404);
      const discovery = (await (await fetch(new URL('/.well-known/openid-configuration', plain.issuer))).json()) as Record<string, unknown>;
      expect(discovery.registration_endpoint).toBeUndefined();
    } finally {
      await plain.destroy();
    }
  });

  it('will not start with registration on but no initial access token', () => {
    expect(() => loadConfig({ DYNAMIC_REGISTRATION: 'true' })).toThrow(/REGISTRATION_INITIAL_ACCESS_TOKEN/);
    expect(() => loadConfig({ DYNAMIC_REGISTRATION: 'true', REGISTRATION_INITIAL_ACCESS_TOKEN: 'short' })).toThrow(/at least 32/);
  });
});
