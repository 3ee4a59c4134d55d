import { afterAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { REDIRECT_URI, seedWorld } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('restart', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await servers.at(-1)?.destroy();
  });

  it('keeps accounts, clients, grants, sessions and keys across a restart', async () => {
    const first = await startTestServer();
    servers.push(first);
    const world = await seedWorld(first.tessera);
    const browser = new Browser();
    const tokens = await signInForTokens(await discover(first.issuer, world.web.clientId, world.web.clientSecret), world, {}, browser);
    const jwksBefore = await (await fetch(`${first.issuer}/jwks`)).json();
    await first.stop();

    // Same file, same port, and (in the Redis topology) the same Redis keys: a restart, not a new deployment.
    const { REDIS_URL, REDIS_KEY_PREFIX } = first.cliEnv;
    const sameRedis = REDIS_URL && REDIS_KEY_PREFIX ? { REDIS_URL, REDIS_KEY_PREFIX } : undefined;
    const second = await startTestServer({ dataDir: first.dataDir, port: first.port, env: sameRedis });
    servers.push(second);
    expect(second.issuer).toBe(first.issuer);
    expect(await (await fetch(`${second.issuer}/jwks`)).json()).toEqual(jwksBefore);

    const web = await discover(second.issuer, world.web.clientId, world.web.clientSecret);
    // The ID token from before the restart still verifies, and the refresh token (the grant) still works.
    const refreshed = await oidc.refreshTokenGrant(web, tokens.refresh_token!);
    expect(refreshed.claims()?.sub).toBe(world.accountId);
    expect((await oidc.fetchUserInfo(web, refreshed.access_token, world.accountId)).email).toBe(world.email);

    // The browser's session cookie is still good: no login page this time.
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(web, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const result = await browser.follow(await browser.get(url.toString()), second.issuer);
    expect(result.location).toMatch(/^https:\/\/rp\.example\/callback\?code=/);
  });
});
