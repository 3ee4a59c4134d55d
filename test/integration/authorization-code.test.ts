import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { API, PASSWORD, REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { signIn } from '../support/sign-in.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** The authorization code + PKCE flow end to end, with openid-client as the relying party. */
describe('authorization code flow with PKCE', () => {
  let server: TestServer;
  let world: World;
  let web: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    web = await oidc.discovery(new URL(server.issuer), world.web.clientId, world.web.clientSecret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
  });
  afterAll(() => server.destroy());

  async function authorize(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      ...extra,
    });
    const callback = await signIn(new Browser(), url, { email: world.email, password: PASSWORD });
    return { callback, codeVerifier, state };
  }

  it('publishes discovery and a JWKS of public keys only', async () => {
    const metadata = web.serverMetadata();
    expect(metadata.issuer).toBe(server.issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    // `none` signs a browser in without issuing anything (the account pages use it); no implicit or hybrid.
    expect(metadata.response_types_supported).toEqual(['code', 'none']);
    expect(metadata.grant_types_supported).not.toContain('implicit');
    expect(metadata.grant_types_supported).not.toContain('password');
    expect(metadata.introspection_endpoint).toBeDefined();
    expect(metadata.revocation_endpoint).toBeDefined();
    expect(metadata.end_session_endpoint).toBeDefined();
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((key) => key.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
    for (const key of jwks.keys) {
      expect(key).not.toHaveProperty('d');
      expect(key).not.toHaveProperty('p');
    }
  });

  it('signs in through the login and consent pages, exchanges the code and calls userinfo', async () => {
    const { callback, codeVerifier, state } = await authorize(web);
    const tokens = await oidc.authorizationCodeGrant(web, callback, { pkceCodeVerifier: codeVerifier, expectedState: state });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(world.accountId);
    expect(claims.iss).toBe(server.issuer);
    expect(claims.aud).toBe(world.web.clientId);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expires_in).toBeLessThanOrEqual(600);
    expect(tokens.expires_in).toBeGreaterThan(590);
    const userinfo = await oidc.fetchUserInfo(web, tokens.access_token, world.accountId);
    expect(userinfo).toMatchObject({ sub: world.accountId, email: world.email, name: 'Ada Lovelace' });
  });

  it('lets a public client use PKCE without a secret', async () => {
    const spa = await oidc.discovery(new URL(server.issuer), world.spa.clientId, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const { callback, codeVerifier, state } = await authorize(spa, { scope: 'openid email' });
    const tokens = await oidc.authorizationCodeGrant(spa, callback, { pkceCodeVerifier: codeVerifier, expectedState: state });
    expect(tokens.claims()?.sub).toBe(world.accountId);
  });

  it('reuses the browser session and the earlier consent on a second authorization', async () => {
    const browser = new Browser();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const params = {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    };
    await signIn(browser, oidc.buildAuthorizationUrl(web, params), { email: world.email, password: PASSWORD });
    const again = await browser.follow(await browser.get(oidc.buildAuthorizationUrl(web, params).toString()), server.issuer);
    expect(again.status).toBe(303);
    expect(again.location).toMatch(/^https:\/\/rp\.example\/callback\?code=/);
  });

  it('issues an RFC 9068 JWT access token for a registered resource server', async () => {
    const { callback, codeVerifier, state } = await authorize(web, {
      scope: 'openid devices:read',
      resource: API,
    });
    const tokens = await oidc.authorizationCodeGrant(
      web,
      callback,
      { pkceCodeVerifier: codeVerifier, expectedState: state },
      { resource: API },
    );
    const [header, payload] = tokens.access_token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    expect(payload).toMatchObject({ iss: server.issuer, aud: API, sub: world.accountId, client_id: world.web.clientId, scope: 'devices:read' });
    expect(payload.exp - payload.iat).toBe(600);
  });

  it('returns access_denied to the client when the user denies consent', async () => {
    const url = oidc.buildAuthorizationUrl(web, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      prompt: 'consent',
    });
    const callback = await signIn(new Browser(), url, { email: world.email, password: PASSWORD, consent: false });
    expect(callback.searchParams.get('error')).toBe('access_denied');
  });
});
