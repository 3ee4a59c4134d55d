import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { runCli } from '../../src/cli/run.js';
import { openAccountPage, submitForm } from '../support/account-portal.js';
import { Browser } from '../support/browser.js';
import { API, PASSWORD, REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { waitForMail } from '../support/outbox.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const NEW_PASSWORD = 'amber walrus cathedral 2041';

/** The account page and API: sessions, password change and reset, all of which revoke what they should. */
describe('session control and passwords', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.destroy());

  async function authorizeAgain(browser: Browser, web: oidc.Configuration) {
    const url = oidc.buildAuthorizationUrl(web, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    return browser.follow(await browser.get(url.toString()), server.issuer);
  }

  it('lists the sessions with device, address and apps, marks this one, and signs out another', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const phone = new Browser({ 'user-agent': 'PhoneBrowser/1.0' });
    const tokens = await signInForTokens(web, world, {}, phone);
    const { browser: laptop, page } = await openAccountPage(server.issuer, world.email, PASSWORD, new Browser({ 'user-agent': 'LaptopBrowser/2.0' }));

    expect(page.body).toContain('PhoneBrowser/1.0');
    expect(page.body).toContain('LaptopBrowser/2.0');
    expect(page.body).toContain(world.web.clientId);
    expect(page.body).toContain('this browser');
    const sessions = await server.tessera.sessions.list(world.accountId);
    expect(sessions).toHaveLength(2);
    const phoneSession = sessions.find((session) => session.userAgent === 'PhoneBrowser/1.0')!;
    expect(phoneSession.ip).toBe('127.0.0.1');

    const after = await submitForm(laptop, server.issuer, page, new RegExp(`/account/sessions/${phoneSession.id}/revoke$`));
    expect(after.body).toContain('Session signed out.');
    expect(after.body).not.toContain('PhoneBrowser/1.0');
    // The phone's cookie now leads to the login page, and the app's refresh token died with the session's grant.
    expect((await authorizeAgain(phone, web)).body).toContain('name="password"');
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await laptop.get(`${server.issuer}/account`)).status).toBe(200);
  });

  it('offers the same list and revocation through the API to a token with the account scope', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const withScope = await signInForTokens(web, world, { scope: 'openid account' });
    const other = await signInForTokens(web, world, { scope: 'openid' });
    const call = (token: string, method = 'GET', path = '/account/api/sessions') =>
      fetch(`${server.issuer}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

    const listed = await call(withScope.access_token);
    expect(listed.status).toBe(200);
    const { sessions } = (await listed.json()) as { sessions: Array<{ id: string; clients: string[] }> };
    expect(sessions).toHaveLength(2);
    expect(JSON.stringify(sessions)).not.toMatch(/jti/);

    expect((await call(other.access_token)).status).toBe(401);
    expect((await call('not-a-token')).headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const jwt = await signInForTokens(web, world, { scope: 'openid devices:read', resource: API });
    expect((await call(jwt.access_token)).status).toBe(401);

    const victim = sessions[0]!.id;
    expect((await call(withScope.access_token, 'DELETE', `/account/api/sessions/${victim}`)).status).toBe(204);
    expect((await call(withScope.access_token, 'DELETE', `/account/api/sessions/${victim}`)).status).toBe(404);
    // Another account's token cannot see or end these sessions.
    const stranger = await seedWorld(server.tessera);
    const strangerWeb = await discover(server.issuer, stranger.web.clientId, stranger.web.clientSecret);
    const strangerToken = await signInForTokens(strangerWeb, stranger, { scope: 'openid account' });
    expect((await call(strangerToken.access_token, 'DELETE', `/account/api/sessions/${sessions[1]!.id}`)).status).toBe(404);
  });

  it('changes the password with the current one, shows strength feedback, and revokes everything', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world);
    const { browser } = await openAccountPage(server.issuer, world.email, PASSWORD);
    const form = await browser.get(`${server.issuer}/account/password`);

    const wrongCurrent = await submitForm(browser, server.issuer, form, /\/account\/password$/, { current_password: 'nope nope nope', new_password: NEW_PASSWORD });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.body).toContain('The current password is not right.');
    const weak = await submitForm(browser, server.issuer, form, /\/account\/password$/, { current_password: PASSWORD, new_password: 'password1' });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatch(/most common passwords/);

    const changed = await submitForm(browser, server.issuer, form, /\/account\/password$/, { current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(changed.status).toBe(200);
    expect(changed.body).toContain('Password changed');
    expect(await server.tessera.sessions.list(world.accountId)).toEqual([]);
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(web, tokens.access_token)).active).toBe(false);
    expect((await browser.get(`${server.issuer}/account`)).status).toBe(302);
    await waitForMail(server.dataDir, world.email, /password was changed/i);

    const login = await openLoginPage(server.issuer, world);
    expect((await login.post(world.email, PASSWORD)).status).toBe(401);
    expect((await login.post(world.email, NEW_PASSWORD)).status).toBe(303);
  });

  it('resets a forgotten password by a single-use mailed link, and revokes everything', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world);
    const browser = new Browser();
    const request = await browser.get(`${server.issuer}/account/password-reset`);
    const sent = await submitForm(browser, server.issuer, request, /\/account\/password-reset$/, { email: world.email });
    expect(sent.body).toContain('a reset link is on its way');
    const unknown = await submitForm(browser, server.issuer, request, /\/account\/password-reset$/, { email: 'nobody@example.com' });
    expect(unknown.body).toBe(sent.body);

    const mail = await waitForMail(server.dataDir, world.email, /password-reset\/confirm\?token=/);
    const link = /(https?:\/\/\S+password-reset\/confirm\?token=[\w%-]+)/.exec(mail)![1]!;
    const form = await browser.get(link);
    expect(form.body).toContain(world.email);
    const weak = await submitForm(browser, server.issuer, form, /password-reset\/confirm/, { new_password: 'qwerty123' });
    expect(weak.status).toBe(400);
    const done = await submitForm(browser, server.issuer, form, /password-reset\/confirm/, { new_password: NEW_PASSWORD });
    expect(done.body).toContain('Password changed');
    expect((await browser.get(link)).body).toContain('Link not valid');
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await waitForMail(server.dataDir, world.email, /password was changed/i);

    const login = await openLoginPage(server.issuer, world);
    expect((await login.post(world.email, NEW_PASSWORD)).status).toBe(303);
  });

  it('rehashes a password made with older Argon2 parameters at the next sign-in', async () => {
    const world = await seedWorld(server.tessera);
    const account = (await server.tessera.accounts.findById(world.accountId))!;
    const { PasswordHasher } = await import('../../src/accounts/index.js');
    const weaker = await new PasswordHasher({ timeCost: 2, parallelism: 1, memoryKiB: 19 * 1024 }).hash(PASSWORD);
    await server.tessera.stores.accounts.update({ ...account, passwordHash: weaker });
    const login = await openLoginPage(server.issuer, world);
    expect((await login.post(world.email, PASSWORD)).status).toBe(303);
    const upgraded = await server.tessera.stores.accounts.findById(world.accountId);
    expect(upgraded?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$[A-Za-z0-9+/]{22}\$/);
  });

  it('returns the strength feedback from the password API, and changes the password there too', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const token = (await signInForTokens(web, world, { scope: 'openid account' })).access_token;
    const change = (body: Record<string, string>) =>
      fetch(`${server.issuer}/account/api/password`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const weak = await change({ current_password: PASSWORD, new_password: 'summer2023!' });
    expect(weak.status).toBe(400);
    const refusal = (await weak.json()) as { error: string; feedback: string[] };
    expect(refusal.error).toBe('weak_password');
    expect(refusal.feedback.length).toBeGreaterThan(0);
    expect((await change({ current_password: 'wrong', new_password: NEW_PASSWORD })).status).toBe(401);
    expect((await change({ current_password: PASSWORD, new_password: NEW_PASSWORD })).status).toBe(204);
    // The change revoked this very token's grant.
    expect((await change({ current_password: NEW_PASSWORD, new_password: PASSWORD })).status).toBe(401);
  });

  it('guesses of the current password count toward the sign-in lockout, so a stolen token cannot guess without limit', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const token = (await signInForTokens(web, world, { scope: 'openid account' })).access_token;
    const change = (current: string) =>
      fetch(`${server.issuer}/account/api/password`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ current_password: current, new_password: NEW_PASSWORD }),
      });
    // More than ten failures block, as on the login page; then even the right password waits, here and there.
    for (let attempt = 0; attempt <= 10; attempt += 1) expect((await change(`guess ${attempt}`)).status).toBe(401);
    const blocked = await change(PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const login = await openLoginPage(server.issuer, world);
    const signIn = await login.post(world.email, PASSWORD);
    expect(signIn.status).toBe(401);
    expect(signIn.body).toMatch(/Too many failed sign-in attempts/);
  });

  it('ends every session and token when an admin disables the account', async () => {
    const world = await seedWorld(server.tessera);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const browser = new Browser();
    const tokens = await signInForTokens(web, world, {}, browser);
    const code = await runCli(['user', 'disable', '--email', world.email], {
      env: server.cliEnv,
      stdin: async () => '',
      stdout: () => undefined,
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await oidc.tokenIntrospection(web, tokens.access_token)).active).toBe(false);
    expect((await authorizeAgain(browser, web)).body).toContain('name="password"');
    const login = await openLoginPage(server.issuer, world);
    expect((await login.post(world.email, PASSWORD)).status).toBe(401);
  });
});
