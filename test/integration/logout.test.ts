import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { Browser, readForm } from '../support/browser.js';
import { REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('RP-initiated logout', () => {
  let server: TestServer;
  let world: World;
  let web: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
  });
  afterAll(() => server.destroy());

  it('asks for confirmation, ends the session and returns to the registered post-logout URI', async () => {
    const browser = new Browser();
    const tokens = await signInForTokens(web, world, {}, browser);
    const logoutUrl = oidc.buildEndSessionUrl(web, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://rp.example/logged-out',
      state: 'bye',
    });
    const confirm = await browser.get(logoutUrl.toString());
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('Sign out');
    const form = readForm(confirm.body, /\/session\/end\/confirm$/);
    const done = await browser.follow(
      await browser.post(new URL(form.action, server.issuer).toString(), { ...form.fields, logout: 'yes' }),
      server.issuer,
    );
    expect(done.location).toBe('https://rp.example/logged-out?state=bye');

    // The browser is signed out: a new authorization request shows the login page again.
    const verifier = oidc.randomPKCECodeVerifier();
    const again = await browser.follow(
      await browser.get(
        oidc
          .buildAuthorizationUrl(web, {
            redirect_uri: REDIRECT_URI,
            scope: 'openid',
            code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256',
          })
          .toString(),
      ),
      server.issuer,
    );
    expect(again.body).toContain('name="password"');
  });

  it('refuses a post-logout redirect that was not registered', async () => {
    const tokens = await signInForTokens(web, world);
    const response = await fetch(
      oidc.buildEndSessionUrl(web, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://evil.example/' }),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });
  it('speaks the language of the browser on its own pages and says which languages it speaks', async () => {
    const browser = new Browser();
    const tokens = await signInForTokens(web, world, {}, browser);
    const confirm = await browser.get(oidc.buildEndSessionUrl(web, { id_token_hint: tokens.id_token!, ui_locales: 'de' }).toString());
    const body = confirm.body;
    expect(body).toContain('<html lang="de"');
    expect(body).toContain('Ja, abmelden');
    const error = await fetch(`${server.issuer}/session/end?id_token_hint=not-a-token`, { headers: { 'accept-language': 'de', accept: 'text/html' } });
    expect(error.status).toBe(400);
    expect(await error.text()).toContain('Etwas ist schiefgegangen');
    const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.ui_locales_supported).toEqual(['en', 'de']);
  });
});
