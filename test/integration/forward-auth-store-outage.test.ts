import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { API, seedWorld, type World } from '../support/fixtures.js';
import { PrivateRedisServer } from '../support/private-redis-server.js';
import { discover } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * A store outage is not a verdict on a token: with Redis (where access tokens live) down, introspection and
 * forward auth answer 503 for an opaque token instead of "inactive"/401, and a JWT still passes forward auth,
 * which needs no store at all.
 */
describe('token validation while the token store is down', () => {
  let redis: PrivateRedisServer;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    redis = await PrivateRedisServer.reserve();
    await redis.start();
    server = await startTestServer({ env: { REDIS_URL: redis.url } });
    world = await seedWorld(server.tessera);
  });
  afterAll(async () => {
    await server.destroy();
    await redis.stop();
  });

  it('answers 503 with Retry-After, never inactive, for an opaque token; a JWT still passes', async () => {
    const service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
    const opaque = (await oidc.clientCredentialsGrant(service, {})).access_token;
    const jwt = (await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API })).access_token;
    const basic = `Basic ${Buffer.from(`${world.service.clientId}:${world.service.clientSecret}`).toString('base64')}`;
    const introspect = () =>
      fetch(`${server.issuer}/token/introspection`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: opaque }),
      });
    const forwardAuth = (token: string) =>
      fetch(`${server.issuer}/forward-auth`, { headers: { authorization: `Bearer ${token}`, 'x-required-scopes': '' } });

    expect(await (await introspect()).json()).toMatchObject({ active: true });
    expect((await forwardAuth(opaque)).status).toBe(200);

    await redis.stop('SIGKILL');
    const introspection = await introspect();
    expect(introspection.status).toBe(503);
    expect(introspection.headers.get('retry-after')).not.toBeNull();
    expect(await introspection.json()).not.toHaveProperty('active');
    const forwarded = await forwardAuth(opaque);
    expect(forwarded.status).toBe(503);
    expect(forwarded.headers.get('retry-after')).not.toBeNull();
    expect((await forwardAuth(jwt)).status).toBe(200);
  }, 30_000);
});
