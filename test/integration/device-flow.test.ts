import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { Browser, readForm, type BrowserResponse } from '../support/browser.js';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { discover } from '../support/relying-party.js';
import { submit } from '../support/sign-in.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { messagesFor } from '../../src/i18n/index.js';

const DEVICE_TEXT = messagesFor('en').device;
const GERMAN = messagesFor('de').device;

/** RFC 8628: a device shows a code, the user enters it in a browser, signs in, and the device gets tokens. */
describe('device authorization grant', () => {
  let server: TestServer;
  let world: World;
  let tv: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    const client = await server.tessera.clients.register({
      client_name: 'Living Room TV',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
      scope: 'openid email offline_access',
    });
    tv = await discover(server.issuer, client.clientId);
  });
  afterAll(() => server.destroy());

  /** Opens the verification page and submits a user code; returns the page that follows. */
  async function enterCode(browser: Browser, verificationUri: string, userCode: string): Promise<BrowserResponse> {
    const origin = new URL(server.issuer).origin;
    const input = await browser.follow(await browser.get(verificationUri), origin);
    expect(input.body).toContain(DEVICE_TEXT.inputLead);
    return submit(browser, input, /\/device$/, { user_code: userCode });
  }

  it('signs the device in after the user enters and confirms the code, signs in and consents', async () => {
    const device = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid email offline_access' });
    expect(device.user_code).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    expect(device.verification_uri).toBe(`${server.issuer}/device`);
    expect(device.expires_in).toBe(600);

    const browser = new Browser();
    // Users type codes loosely: lower case and without the dash works too.
    const confirm = await enterCode(browser, device.verification_uri, device.user_code.replace('-', '').toLowerCase());
    expect(confirm.body).toContain('Living Room TV');
    expect(confirm.body).toContain(DEVICE_TEXT.confirmCheck);
    expect(confirm.body).not.toMatch(/<script|\son\w+=/i);

    let page = await submit(browser, confirm, /\/device$/, {});
    page = await submit(browser, page, /\/login$/, { email: world.email, password: PASSWORD });
    expect(page.body).toContain('Allow access');
    page = await submit(browser, page, /\/confirm$/, {});
    expect(page.status).toBe(200);
    expect(page.body).toContain(DEVICE_TEXT.success);

    const tokens = await oidc.pollDeviceAuthorizationGrant(tv, device);
    expect(tokens.claims()?.sub).toBe(world.accountId);
    expect(tokens.refresh_token).toBeDefined();
    const info = await oidc.fetchUserInfo(tv, tokens.access_token, world.accountId);
    expect(info.email).toBe(world.email);
  }, 30_000);

  it('keeps the code page free of inline script, with the CSRF token in the form', async () => {
    const browser = new Browser();
    const page = await browser.get(`${server.issuer}/device`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.body).not.toMatch(/<script|\son\w+=/i);
    const form = readForm(page.body, /\/device$/);
    expect(form.fields.xsrf).toMatch(/.{16,}/);
  });

  it('says so when the code is wrong, and refuses a form without its CSRF token', async () => {
    const browser = new Browser();
    const wrong = await enterCode(browser, `${server.issuer}/device`, 'BCDF-GHJK');
    expect(wrong.body).toContain(DEVICE_TEXT.wrongCode);

    const device = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid' });
    // From a browser without the session that issued the token (a cross-site form), and from one with it.
    const forged = await new Browser().post(`${server.issuer}/device`, { user_code: device.user_code, confirm: 'yes' });
    expect(forged.status).toBe(400);
    expect(forged.body).toContain(DEVICE_TEXT.expired);
    const withSession = await browser.post(`${server.issuer}/device`, { user_code: device.user_code, confirm: 'yes', xsrf: 'guess' });
    expect(withSession.status).toBe(400);
    expect(withSession.body).not.toContain(DEVICE_TEXT.confirmCheck);
  });

  it('answers in the browser\'s language, and in the ui_locales the device asked for once the code is known', async () => {
    const german = new Browser({ 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    const input = await german.get(`${server.issuer}/device`);
    expect(input.status).toBe(200);
    expect(input.body).toContain('<html lang="de">');
    expect(input.body).toContain(`<h1>${GERMAN.inputTitle}</h1>`);
    expect(input.body).toContain(GERMAN.inputLead);
    expect(input.headers.get('vary')).toMatch(/accept-language/i);
    const wrong = await submit(german, input, /\/device$/, { user_code: 'BCDF-GHJK' });
    expect(wrong.body).toContain(`<p class="error" role="alert" id="form-error">${GERMAN.wrongCode}</p>`);

    const device = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid', ui_locales: 'de' });
    const english = new Browser({ 'accept-language': 'en' });
    const confirm = await submit(english, await english.get(`${server.issuer}/device`), /\/device$/, { user_code: device.user_code });
    expect(confirm.body).toContain('<html lang="de">');
    expect(confirm.body).toContain(GERMAN.confirmCheck);
  });

  it('limits guesses of user codes per IP address (RFC 8628 §5.1)', async () => {
    const limited = await startTestServer({ env: { RATE_LIMIT_LOGIN: '3' } });
    try {
      const browser = new Browser();
      const input = await browser.get(`${limited.issuer}/device`);
      const form = readForm(input.body, /\/device$/);
      const statuses = [];
      for (let guess = 0; guess < 4; guess += 1) {
        statuses.push((await browser.post(`${limited.issuer}/device`, { ...form.fields, user_code: 'BCDF-GHJK' })).status);
      }
      expect(statuses.slice(0, 3)).not.toContain(429);
      expect(statuses[3]).toBe(429);
    } finally {
      await limited.destroy();
    }
  });

  it('tells the device access_denied when the user cancels', async () => {
    const device = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid' });
    const browser = new Browser();
    // The complete URI fills the code in; the user only presses Continue.
    const prefilled = await browser.get(device.verification_uri_complete!);
    expect(prefilled.body).not.toMatch(/<script/i);
    expect(prefilled.body).toContain(`value="${device.user_code}"`);
    const confirm = await submit(browser, prefilled, /\/device$/, {});
    const form = [...confirm.body.matchAll(/<form[\s\S]*?<\/form>/g)].map((match) => match[0]).find((f) => f.includes('name="abort"'))!;
    const fields = Object.fromEntries([...form.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    const aborted = await browser.post(`${server.issuer}/device`, fields as Record<string, string>);
    expect(aborted.body).toContain(DEVICE_TEXT.aborted);
    await expect(oidc.pollDeviceAuthorizationGrant(tv, device)).rejects.toMatchObject({ error: 'access_denied' });
  }, 30_000);
});
