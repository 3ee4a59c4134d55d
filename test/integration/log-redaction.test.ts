import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { createLogger } from '../../src/observability/logger.js';
import { openAccountPage, submitForm } from '../support/account-portal.js';
import { Browser } from '../support/browser.js';
import { PASSWORD, REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { waitForMail } from '../support/outbox.js';
import { discover } from '../support/relying-party.js';
import { signIn } from '../support/sign-in.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const WRONG_PASSWORD = 'lantern oyster meadow 8812';
const CHANGED_PASSWORD = 'amber walrus cathedral 2041';
const RESET_PASSWORD = 'copper heron glacier 7306';

/**
 * Every secret a full flow handles (passwords, the code and its verifier, access/refresh/ID tokens, the client
 * secret, a reset token, every cookie) is looked for in everything the server logged at `trace`: none may appear.
 */
describe('logs', () => {
  let server: TestServer;
  let world: World;
  const lines: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ logger: createLogger('trace', { write: (line: string) => void lines.push(line) }) });
    world = await seedWorld(server.tessera);
  });
  afterAll(() => server.destroy());

  it('carry request id, route and client, and never a password, token, code, secret or cookie', async () => {
    const secrets: string[] = [PASSWORD, WRONG_PASSWORD, CHANGED_PASSWORD, RESET_PASSWORD, world.web.clientSecret];
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);

    const failed = await openLoginPage(server.issuer, world);
    expect((await failed.post(world.email, WRONG_PASSWORD)).status).toBe(401);

    const browser = new Browser();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authorization = oidc.buildAuthorizationUrl(web, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email offline_access account',
      prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const callback = await signIn(browser, authorization, { email: world.email, password: PASSWORD });
    const code = callback.searchParams.get('code')!;
    const tokens = await oidc.authorizationCodeGrant(web, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const refreshed = await oidc.refreshTokenGrant(web, tokens.refresh_token!);
    expect((await oidc.tokenIntrospection(web, refreshed.access_token)).active).toBe(true);
    // A replayed refresh token: the failure path logs too.
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    secrets.push(code, verifier, tokens.access_token, tokens.refresh_token!, tokens.id_token!);
    secrets.push(refreshed.access_token, refreshed.refresh_token!, refreshed.id_token!);

    const { page } = await openAccountPage(server.issuer, world.email, PASSWORD, browser);
    expect(page.status).toBe(200);
    const form = await browser.get(`${server.issuer}/account/password`);
    const changed = await submitForm(browser, server.issuer, form, /\/account\/password$/, {
      current_password: PASSWORD,
      new_password: CHANGED_PASSWORD,
    });
    expect(changed.status).toBe(200);

    // The reset token travels in a query string, which the access log must leave out.
    const request = await browser.get(`${server.issuer}/account/password-reset`);
    await submitForm(browser, server.issuer, request, /\/account\/password-reset$/, { email: world.email });
    const mail = await waitForMail(server.dataDir, world.email, /password-reset\/confirm\?token=/);
    const link = /(https?:\/\/\S+password-reset\/confirm\?token=([\w%-]+))/.exec(mail)!;
    secrets.push(decodeURIComponent(link[2]!));
    const confirm = await browser.get(link[1]!);
    const reset = await submitForm(browser, server.issuer, confirm, /password-reset\/confirm/, { new_password: RESET_PASSWORD });
    expect(reset.status).toBe(200);

    secrets.push(...browser.cookieValuesReceived(), ...failed.browser.cookieValuesReceived());
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(8);
      const line = lines.find((each) => each.includes(secret));
      if (line) throw new Error(`the log contains a secret (${secret.slice(0, 4)}…) in: ${line}`);
    }

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((entry) => entry.msg === 'request');
    expect(requests.every((entry) => typeof entry.requestId === 'string')).toBe(true);
    expect(requests.filter((entry) => String(entry.path ?? '').includes('?'))).toEqual([]);
    expect(requests).toContainEqual(
      expect.objectContaining({ method: 'POST', route: '/token', status: 200, clientId: world.web.clientId }),
    );
    expect(requests).toContainEqual(
      expect.objectContaining({ method: 'POST', route: '/interaction/:uid/login', clientId: world.web.clientId }),
    );
  });
});
