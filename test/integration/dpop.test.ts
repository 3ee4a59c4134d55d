import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { webcrypto } from 'node:crypto';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { DpopKey, ecThumbprint } from '../support/dpop-proof.js';
import { seedWorld, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** RFC 9449: tokens bound to the single-page app's key, useless to whoever steals them. */
describe('DPoP', () => {
  let server: TestServer;
  let world: World;
  let spa: oidc.Configuration;
  let web: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    spa = await discover(server.issuer, world.spa.clientId);
    web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
  });
  afterAll(() => server.destroy());

  const signInWithDpop = (dpop: oidc.DPoPHandle) => signInForTokens(spa, world, {}, new Browser(), { DPoP: dpop });

  const userinfoWith = (headers: Record<string, string>) => fetch(new URL('/me', server.issuer), { headers });

  it('binds access and refresh tokens to the key; introspection shows cnf.jkt', async () => {
    const keyPair = await oidc.randomDPoPKeyPair();
    const dpop = oidc.getDPoPHandle(spa, keyPair);
    const tokens = await signInWithDpop(dpop);
    expect(tokens.token_type.toLowerCase()).toBe('dpop');

    const jwk = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
    const thumbprint = ecThumbprint(jwk);
    const info = await oidc.tokenIntrospection(web, tokens.access_token);
    expect(info).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: thumbprint } });

    const userinfo = await oidc.fetchUserInfo(spa, tokens.access_token, world.accountId, { DPoP: dpop });
    expect(userinfo.email).toBe(world.email);

    const refreshed = await oidc.refreshTokenGrant(spa, tokens.refresh_token!, undefined, { DPoP: dpop });
    expect((await oidc.tokenIntrospection(web, refreshed.access_token)).cnf).toEqual({ jkt: thumbprint });
  });

  it('refuses a bound access token presented as a plain bearer token, or with another key', async () => {
    const tokens = await signInWithDpop(oidc.getDPoPHandle(spa, await oidc.randomDPoPKeyPair()));
    const asBearer = await userinfoWith({ authorization: `Bearer ${tokens.access_token}` });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/invalid_token/);

    const thief = new DpopKey();
    const url = `${server.issuer}/me`;
    const stolen = await userinfoWith({ authorization: `DPoP ${tokens.access_token}`, dpop: thief.proof('GET', url, tokens.access_token) });
    expect(stolen.status).toBe(401);
  });

  it('refuses to refresh a bound refresh token without the key', async () => {
    const tokens = await signInWithDpop(oidc.getDPoPHandle(spa, await oidc.randomDPoPKeyPair()));
    const otherKey = oidc.getDPoPHandle(spa, await oidc.randomDPoPKeyPair());
    await expect(oidc.refreshTokenGrant(spa, tokens.refresh_token!, undefined, { DPoP: otherKey })).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.refreshTokenGrant(spa, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a replayed proof', async () => {
    const key = new DpopKey();
    const tokenUrl = `${server.issuer}/token`;
    const grant = (proof: string) =>
      fetch(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${world.service.clientId}:${world.service.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          dpop: proof,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'devices:read' }),
      });
    const proof = key.proof('POST', tokenUrl);
    const first = await grant(proof);
    expect(first.status).toBe(200);
    const issued = (await first.json()) as { access_token: string; token_type: string };
    expect(issued.token_type).toBe('DPoP');
    expect((await oidc.tokenIntrospection(web, issued.access_token)).cnf).toEqual({ jkt: key.thumbprint() });

    const replayed = await grant(proof);
    expect(replayed.status).toBe(400);
    // oidc-provider keeps the reason ("DPoP proof JWT Replay detected") to its debug detail.
    expect(((await replayed.json()) as { error: string }).error).toBe('invalid_grant');

    // The same at a resource endpoint: one proof, one request.
    const keyPair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const spaTokens = await signInWithDpop(oidc.getDPoPHandle(spa, keyPair));
    const proofAtUserinfo = DpopKey.fromCryptoKeyPair(keyPair).proof('GET', `${server.issuer}/me`, spaTokens.access_token);
    const headers = { authorization: `DPoP ${spaTokens.access_token}`, dpop: proofAtUserinfo };
    expect((await userinfoWith(headers)).status).toBe(200);
    const replayedAtUserinfo = await userinfoWith(headers);
    expect(replayedAtUserinfo.status).toBe(401);
    expect(replayedAtUserinfo.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });
});
