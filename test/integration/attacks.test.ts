import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { PASSWORD, REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { discover } from '../support/relying-party.js';
import { signIn } from '../support/sign-in.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** What a certified client library refuses to send, sent as raw HTTP. */
describe('protocol attacks', () => {
  let server: TestServer;
  let world: World;
  let web: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
  });
  afterAll(() => server.destroy());

  const basicAuth = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  function authorizeUrl(params: Record<string, string>): string {
    const url = new URL('/auth', server.issuer);
    url.search = new URLSearchParams({
      client_id: world.web.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      ...params,
    }).toString();
    return url.toString();
  }

  async function redeem(code: string, verifier: string | undefined, secret = world.web.clientSecret) {
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    if (verifier !== undefined) body.set('code_verifier', verifier);
    const response = await fetch(new URL('/token', server.issuer), {
      method: 'POST',
      headers: { authorization: basicAuth(world.web.clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  /** Signs in through the pages and returns an unredeemed code with its verifier. */
  async function freshCode(): Promise<{ code: string; verifier: string }> {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = new URL(
      authorizeUrl({ code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }),
    );
    const callback = await signIn(new Browser(), url, { email: world.email, password: PASSWORD });
    return { code: callback.searchParams.get('code')!, verifier };
  }

  it.each([
    ['another host', 'https://evil.example/callback'],
    ['a longer path', `${REDIRECT_URI}/more`],
    ['an extra query', `${REDIRECT_URI}?next=evil`],
    ['another scheme', REDIRECT_URI.replace('https:', 'http:')],
  ])('refuses a redirect_uri with %s without redirecting', async (_label, redirectUri) => {
    const response = await fetch(authorizeUrl({ redirect_uri: redirectUri, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('invalid_redirect_uri');
  });

  it('refuses the PKCE plain method', async () => {
    const response = await fetch(authorizeUrl({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }), { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/code_challenge_method/);
  });

  it('requires PKCE from public clients', async () => {
    const url = new URL(authorizeUrl({ client_id: world.spa.clientId }));
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a code exchange without the verifier, or with a wrong one', async () => {
    const { code, verifier } = await freshCode();
    expect(await redeem(code, undefined)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const other = await freshCode();
    expect(await redeem(other.code, `${verifier}x`)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a second redemption of a code and revokes what the first one issued', async () => {
    const { code, verifier } = await freshCode();
    const first = await redeem(code, verifier);
    expect(first.status).toBe(200);
    expect((await oidc.tokenIntrospection(web, first.body.access_token!)).active).toBe(true);
    const second = await redeem(code, verifier);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await oidc.tokenIntrospection(web, first.body.access_token!)).active).toBe(false);
  });

  it('lets exactly one of twenty parallel redemptions of one code succeed', async () => {
    const { code, verifier } = await freshCode();
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(code, verifier)));
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    expect(results.filter((result) => result.status === 400 && result.body.error === 'invalid_grant')).toHaveLength(19);
  });

  it('answers a wrong client secret with 401 invalid_client', async () => {
    const { code, verifier } = await freshCode();
    const result = await redeem(code, verifier, 'wrong-secret');
    expect(result).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('has no implicit or password grant', async () => {
    const implicit = await fetch(authorizeUrl({ response_type: 'token', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' }), { redirect: 'manual' });
    const location = new URL(implicit.headers.get('location')!);
    expect(location.searchParams.get('error') ?? new URLSearchParams(location.hash.slice(1)).get('error')).toBe('unsupported_response_type');
    const password = await fetch(new URL('/token', server.issuer), {
      method: 'POST',
      headers: { authorization: basicAuth(world.web.clientId, world.web.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: world.email, password: PASSWORD }),
    });
    expect(password.status).toBe(400);
    expect(await password.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});
