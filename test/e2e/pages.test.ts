import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { PASSWORD, REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { waitForMail } from '../support/outbox.js';
import { authorizationRequest, discover } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { totpCode } from '../support/totp.js';
import { auditPage } from './support/accessibility.js';
import { launchBrowser, screenshot, type E2eBrowser } from './support/chromium.js';

/**
 * A person in a real (headless) Chromium: signs in to a company that requires two-step verification, enrols an
 * authenticator, allows the app; signs in on a second device in German; signs that device out from the first;
 * changes the password. Every page is screenshotted and checked for labels, focus, announced errors and layout.
 */
const RELYING_PARTY = new URL(REDIRECT_URI).origin;
const NEW_PASSWORD = 'granite lantern orbit 4821';
const STEP_TIMEOUT = 120_000;

let server: TestServer;
let world: World;
let laptop: E2eBrowser;
let phone: E2eBrowser;
let recoveryCodes: string[] = [];
let webApp: oidc.Configuration;

beforeAll(async () => {
  server = await startTestServer();
  world = await seedWorld(server.tessera);
  const tenant = await server.tessera.tenants.getBySlug(world.tenantSlug);
  await server.tessera.tenants.setMfaRequired(tenant.id, true);
  webApp = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
  laptop = await launchBrowser({ relyingParty: RELYING_PARTY, locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' } });
  phone = await launchBrowser({
    relyingParty: RELYING_PARTY,
    locale: 'de-DE',
    extraHTTPHeaders: { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.4' },
    viewport: { width: 375, height: 740 },
    isMobile: true,
  });
  for (const browser of [laptop, phone]) browser.page.setDefaultTimeout(30_000);
}, STEP_TIMEOUT);

afterAll(async () => {
  await laptop?.close();
  await phone?.close();
  await server?.destroy();
});

/** The web app's authorization request, and what it needs to redeem the code. */
async function webAppRequest(extra: Record<string, string> = {}) {
  return authorizationRequest(webApp, { scope: 'openid email profile', ...extra });
}

/** Screenshot, then the accessibility checks every page must pass. */
async function review(page: Page, name: string, expected: { lang: string; focus?: 'first-field' | string }) {
  await screenshot(page, name);
  const audit = await auditPage(page);
  expect({ name, lang: audit.lang, unlabelled: audit.unlabelled, dangling: audit.danglingDescriptions, silentErrors: audit.silentErrors })
    .toEqual({ name, lang: expected.lang, unlabelled: [], dangling: [], silentErrors: 0 });
  expect({ name, overflows: audit.overflowsHorizontally }).toEqual({ name, overflows: false });
  expect(audit.autofocusCount).toBeLessThanOrEqual(1);
  if (expected.focus) expect(audit.focused).toBe(expected.focus === 'first-field' ? audit.firstField : expected.focus);
  return audit;
}

async function signInWithRecoveryCode(page: Page, password: string, lang: string, shot: string) {
  await page.fill('#email', world.email);
  await page.fill('#password', password);
  await page.locator('form[action$="/login"] button[type=submit]').click();
  await page.waitForSelector('#code');
  await review(page, shot, { lang, focus: 'input#code' });
  await page.fill('#code', recoveryCodes.shift()!);
  await page.locator('form[action$="/second-factor"] button[type=submit]').click();
}

describe('the pages in headless Chromium', () => {
  it('signs in with a wrong then a right password, enrols the authenticator the company requires, and allows the app', async () => {
    const { page } = laptop;
    const request = await webAppRequest();
    await page.goto(request.url.toString());
    await page.waitForSelector('#email');
    await review(page, '01-login', { lang: 'en', focus: 'first-field' });
    expect(await page.locator('h1').textContent()).toBe('Sign in');

    await page.fill('#email', world.email);
    await page.fill('#password', 'not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[role=alert]');
    // Email kept, so the cursor waits in the password field; the error is announced and tied to both fields.
    await review(page, '02-login-error', { lang: 'en', focus: 'input#password' });
    expect(await page.locator('[role=alert]').textContent()).toBe('The email or password is incorrect.');
    expect(await page.getAttribute('#password', 'aria-describedby')).toBe('form-error');

    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('.secret');
    await review(page, '03-enrol-authenticator', { lang: 'en', focus: 'first-field' });
    expect(await page.locator('.lead').textContent()).toContain('Your organisation requires two-step verification');
    const qr = page.locator('img.qr');
    // Decoded, not a broken-image icon: the data: URL got past the CSP.
    expect(await qr.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const secret = (await page.locator('.secret').textContent())!.replace(/\s/g, '');

    await page.fill('#code', totpCode(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.waitForSelector('.codes');
    await review(page, '04-recovery-codes', { lang: 'en', focus: 'button:Continue' });
    recoveryCodes = await page.locator('.codes code').allTextContents();
    expect(recoveryCodes.length).toBeGreaterThanOrEqual(5);

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForSelector('text=Allow access?');
    await review(page, '05-consent', { lang: 'en', focus: 'button:Allow' });
    expect(await page.locator('.scopes li').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('See your email address')]),
    );

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);
    // The app redeems the code: the ID token says the person signed in with a password and a one-time code.
    const tokens = await oidc.authorizationCodeGrant(webApp, new URL(page.url()), {
      pkceCodeVerifier: request.codeVerifier,
      expectedState: request.state,
    });
    expect(tokens.claims()).toMatchObject({ sub: world.accountId, amr: ['pwd', 'otp'] });
  }, STEP_TIMEOUT);

  it('shows the account page of the signed-in browser', async () => {
    const { page } = laptop;
    await page.goto(`${server.issuer}/account`);
    await page.waitForSelector('table.sessions');
    await review(page, '06-account', { lang: 'en' });
    expect(await page.locator('table.sessions tbody tr').count()).toBe(1);
    expect(await page.locator('.badge').textContent()).toBe('this browser');
  }, STEP_TIMEOUT);

  it('serves a German browser German pages, on a phone-sized screen, and signs it in with a recovery code', async () => {
    const { page } = phone;
    await page.goto(`${server.issuer}/account`);
    await page.waitForSelector('#email');
    await review(page, '07-de-login-phone', { lang: 'de', focus: 'first-field' });
    expect(await page.locator('h1').textContent()).toBe('Anmelden');
    expect(await page.locator('label[for=password]').textContent()).toBe('Passwort');

    await signInWithRecoveryCode(page, PASSWORD, 'de', '08-de-second-factor-phone');
    await page.waitForSelector('table.sessions');
    await review(page, '09-de-account-phone', { lang: 'de' });
    expect(await page.locator('h1').textContent()).toBe('Ihr Konto');
    expect(await page.locator('table.sessions tbody tr').count()).toBe(2);
  }, STEP_TIMEOUT);

  it('signs the other device out from the account page', async () => {
    const { page } = laptop;
    await page.goto(`${server.issuer}/account`);
    await page.waitForSelector('table.sessions');
    expect(await page.locator('table.sessions tbody tr').count()).toBe(2);
    await review(page, '10-account-two-sessions', { lang: 'en' });
    const otherRow = page.locator('table.sessions tbody tr', { hasNot: page.locator('.badge') });
    await otherRow.getByRole('button', { name: 'Sign out this session' }).click();
    await page.waitForSelector('[role=status]');
    await review(page, '11-account-session-signed-out', { lang: 'en' });
    expect(await page.locator('[role=status]').textContent()).toBe('Session signed out.');
    expect(await page.locator('table.sessions tbody tr').count()).toBe(1);

    // The phone is signed out: its next visit to the account page lands on the (German) sign-in page.
    await phone.page.goto(`${server.issuer}/account`);
    await phone.page.waitForSelector('#email');
    expect(await phone.page.locator('h1').textContent()).toBe('Anmelden');
  }, STEP_TIMEOUT);

  it('changes the password: a weak one is refused with advice, a strong one signs every session out', async () => {
    const { page } = laptop;
    await page.goto(`${server.issuer}/account/password`);
    await page.waitForSelector('#current');
    await review(page, '12-password-change', { lang: 'en', focus: 'first-field' });

    await page.fill('#current', PASSWORD);
    await page.fill('#new', 'password1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForSelector('[role=alert]');
    await review(page, '13-password-weak', { lang: 'en', focus: 'first-field' });
    expect(await page.getAttribute('#new', 'aria-describedby')).toBe('form-error password-feedback');

    await page.fill('#current', PASSWORD);
    await page.fill('#new', NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForSelector('text=Password changed');
    await review(page, '14-password-changed', { lang: 'en' });

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForSelector('#email');
    await page.fill('#email', world.email);
    await page.fill('#password', PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[role=alert]');
    expect(await page.locator('[role=alert]').textContent()).toBe('The email or password is incorrect.');
    await signInWithRecoveryCode(page, NEW_PASSWORD, 'en', '15-second-factor');
    await page.waitForSelector('table.sessions');
    expect(await page.locator('h1').textContent()).toBe('Your account');

    await page.getByRole('link', { name: 'Manage' }).click();
    await page.waitForSelector('#password');
    await review(page, '15b-mfa-manage', { lang: 'en', focus: 'first-field' });
    expect(await page.locator('.lead').textContent()).toBe('8 recovery codes left.');
  }, STEP_TIMEOUT);

  it('gives German password advice to the German browser', async () => {
    const { page } = phone;
    await page.goto(`${server.issuer}/account`);
    await page.waitForSelector('#email');
    await signInWithRecoveryCode(page, NEW_PASSWORD, 'de', '16-de-second-factor-phone');
    await page.waitForSelector('table.sessions');
    await page.goto(`${server.issuer}/account/password`);
    await page.fill('#current', NEW_PASSWORD);
    await page.fill('#new', 'qwertzuiop');
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await page.waitForSelector('[role=alert]');
    await review(page, '17-de-password-weak-phone', { lang: 'de', focus: 'first-field' });
    expect(await page.locator('[role=alert]').textContent()).toBe('Dieses Passwort ist zu leicht zu erraten.');
    const advice = await page.locator('.feedback li').allTextContents();
    expect(advice.length).toBeGreaterThan(0);
    expect(advice.join(' ')).not.toMatch(/\b(the|you|are|use|avoid)\b/i);

    await page.goto(`${server.issuer}/account/password-reset`);
    await review(page, '18-de-password-reset-phone', { lang: 'de', focus: 'first-field' });
    expect(await page.locator('h1').textContent()).toBe('Passwort zurücksetzen');
    await page.fill('#email', world.email);
    await page.getByRole('button', { name: 'Link senden' }).click();
    await page.waitForSelector('[role=status]');
    await review(page, '18b-de-password-reset-sent-phone', { lang: 'de' });

    const mail = await waitForMail(server.dataDir, world.email, /password-reset\/confirm\?token=/);
    await page.goto(/(https?:\/\/\S+password-reset\/confirm\?token=[\w%-]+)/.exec(mail)![1]!);
    await page.waitForSelector('#new');
    await review(page, '18c-de-password-reset-choose-phone', { lang: 'de', focus: 'first-field' });
    expect(await page.locator('h1').textContent()).toBe('Neues Passwort wählen');
  }, STEP_TIMEOUT);

  it('follows ui_locales from the authorization request ahead of the browser language', async () => {
    const { page } = laptop;
    await page.goto((await webAppRequest({ prompt: 'login', ui_locales: 'de en' })).url.toString());
    await page.waitForSelector('#email');
    await review(page, '19-login-ui-locales-de', { lang: 'de', focus: 'first-field' });
    expect(await page.locator('h1').textContent()).toBe('Anmelden');
    // The same page in dark mode, for the reviewer: the palette switches with prefers-color-scheme.
    await page.emulateMedia({ colorScheme: 'dark' });
    await review(page, '20-login-dark', { lang: 'de' });
    const buttonColours = await page.locator('button[type=submit]').first().evaluate((button) => {
      const style = (globalThis as unknown as { getComputedStyle(element: unknown): { color: string; backgroundColor: string } }).getComputedStyle(button);
      return [style.color, style.backgroundColor];
    });
    expect(buttonColours).toEqual(['rgb(11, 23, 48)', 'rgb(138, 180, 255)']);
  }, STEP_TIMEOUT);

  it('loaded nothing from anywhere but the server itself', () => {
    const origins = new Set(
      [...laptop.requested, ...phone.requested].filter((url) => !url.startsWith('data:')).map((url) => new URL(url).origin),
    );
    expect([...origins].sort()).toEqual([server.issuer, RELYING_PARTY].sort());
  });
});
