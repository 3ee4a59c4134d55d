import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { openAccountPage, recoveryCodesOnPage, secretOnPage, submitForm } from '../support/account-portal.js';
import { Browser } from '../support/browser.js';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { authorizationRequest, discover } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { totpCode } from '../support/totp.js';

/** TOTP enrolment, sign-in with a second factor, replay refusal, recovery codes and company-wide MFA. */
describe('multi-factor authentication', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.destroy());

  /** Enrols TOTP from the account page; returns the secret and the recovery codes. */
  async function enrolFromAccountPage(world: World) {
    const { browser } = await openAccountPage(server.issuer, world.email, PASSWORD);
    const enrol = await browser.get(`${server.issuer}/account/mfa`);
    expect(enrol.body).toMatch(/<img class="qr" src="data:image\/png;base64,/);
    const secret = secretOnPage(enrol.body);
    const done = await submitForm(browser, server.issuer, enrol, /\/account\/mfa\/enrol$/, { code: totpCode(secret) });
    const recoveryCodes = recoveryCodesOnPage(done.body);
    expect(recoveryCodes).toHaveLength(10);
    return { secret, recoveryCodes };
  }

  /** Starts a sign-in for the web client and posts the password; returns the browser on the next page. */
  async function passwordStep(world: World) {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const { url, codeVerifier: verifier, state } = await authorizationRequest(web, { scope: 'openid' });
    const browser = new Browser();
    const loginPage = await browser.follow(await browser.get(url.toString()), server.issuer);
    const next = await submitForm(browser, server.issuer, loginPage, /\/login$/, { email: world.email, password: PASSWORD });
    /** Finishes the flow from the page the browser is on (consent if asked) and exchanges the code. */
    const complete = async (page: typeof next) => {
      let current = page;
      if (current.body.includes('Allow access')) current = await submitForm(browser, server.issuer, current, /\/confirm$/);
      return oidc.authorizationCodeGrant(web, new URL(current.location!), { pkceCodeVerifier: verifier, expectedState: state });
    };
    return { browser, page: next, complete };
  }

  it('enrols from the account page, then asks for the code at sign-in and says so in amr and acr', async () => {
    const world = await seedWorld(server.tessera);
    const { secret } = await enrolFromAccountPage(world);
    const { browser, page, complete } = await passwordStep(world);
    expect(page.body).toContain('Two-step verification');
    // The enrolment used the current step; the next step's code is inside the ±1 window and still unused.
    const verified = await submitForm(browser, server.issuer, page, /\/second-factor$/, { code: totpCode(secret, Date.now(), 1) });
    const tokens = await complete(verified);
    const claims = tokens.claims()!;
    expect(claims.amr).toEqual(['pwd', 'otp']);
    expect(claims.acr).toBe('aal2');
  });

  it('accepts a code once only, even inside its time step, and a recovery code once only', async () => {
    const world = await seedWorld(server.tessera);
    const { secret, recoveryCodes } = await enrolFromAccountPage(world);
    const code = totpCode(secret, Date.now(), 1);

    const first = await passwordStep(world);
    const accepted = await submitForm(first.browser, server.issuer, first.page, /\/second-factor$/, { code });
    expect(accepted.location ?? accepted.body).toBeTruthy();
    expect((await first.complete(accepted)).claims()?.amr).toContain('otp');

    const second = await passwordStep(world);
    const replayed = await submitForm(second.browser, server.issuer, second.page, /\/second-factor$/, { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toContain('That code is not valid');

    const withRecovery = await submitForm(second.browser, server.issuer, replayed, /\/second-factor$/, { code: recoveryCodes[0]! });
    expect((await second.complete(withRecovery)).claims()?.amr).toEqual(['pwd', 'otp']);

    const third = await passwordStep(world);
    const reused = await submitForm(third.browser, server.issuer, third.page, /\/second-factor$/, { code: recoveryCodes[0]! });
    expect(reused.status).toBe(401);
  });

  it('counts wrong codes toward the lockout', async () => {
    const world = await seedWorld(server.tessera);
    const { secret } = await enrolFromAccountPage(world);
    const { browser, page } = await passwordStep(world);
    let current = page;
    for (let attempt = 0; attempt < 11; attempt += 1) {
      current = await submitForm(browser, server.issuer, current, /\/second-factor$/, { code: '000000' });
      expect(current.status).toBe(401);
    }
    const blocked = await submitForm(browser, server.issuer, current, /\/second-factor$/, { code: totpCode(secret, Date.now(), 1) });
    expect(blocked.status).toBe(401);
    expect(blocked.body).toContain('Too many failed sign-in attempts');
  });

  it('takes members of a company that requires MFA through enrolment before any token', async () => {
    const world = await seedWorld(server.tessera);
    const tenant = await server.tessera.tenants.getBySlug(world.tenantSlug);
    await server.tessera.tenants.setMfaRequired(tenant.id, true);

    const { browser, page, complete } = await passwordStep(world);
    expect(page.body).toContain('Your organisation requires two-step verification');
    expect(page.location).toBeNull();
    const secret = secretOnPage(page.body);
    const codes = await submitForm(browser, server.issuer, page, /\/enrol$/, { code: totpCode(secret) });
    expect(recoveryCodesOnPage(codes.body)).toHaveLength(10);
    const resumed = await submitForm(browser, server.issuer, codes, /\/continue$/);
    const claims = (await complete(resumed)).claims()!;
    expect(claims.amr).toEqual(['pwd', 'otp']);
    expect(claims.acr).toBe('aal2');
    const stored = await server.tessera.accounts.findById(world.accountId);
    expect(stored?.mfa?.totpSecret).toMatch(/^v1\./);
    expect(stored?.mfa?.totpSecret).not.toContain(secret);
  });
});
