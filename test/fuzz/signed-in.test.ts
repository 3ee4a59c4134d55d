import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { openAccountPage } from '../support/account-portal.js';
import { Browser, readForm } from '../support/browser.js';
import { PASSWORD } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { budget, expectNoServerError, expectUnharmed, PROPERTY_TIMEOUT_MS, startFuzzTarget, type FuzzTarget } from './support/fuzz-server.js';
import { assemble, sessionRequestParts, toSessionRequest } from './support/requests.js';
import { authorizationHeader, extraHeaders, queryString, wireBody } from './support/wire-format.js';

const FORM_FIELDS = ['csrf', 'email', 'password', 'code', 'current_password', 'new_password', 'token'];
const INTERACTION_STEPS = ['', '/login', '/second-factor', '/enrol', '/continue', '/confirm', '/abort'];
const ACCOUNT_PAGES = [
  '/account',
  '/account/password',
  '/account/mfa',
  '/account/mfa/enrol',
  '/account/mfa/done',
  '/account/mfa/disable',
  '/account/sessions/revoke-others',
  '/account/password-reset',
  '/account/password-reset/confirm',
];

/**
 * Property-based fuzzing from inside a session, where input reaches the handlers behind the cookie and CSRF
 * checks: the sign-in forms of a live interaction (before and after the password), the account pages of a
 * signed-in browser, and the account API and userinfo with a valid access token. Each sign-in comes from its own
 * client address (TRUST_PROXY), so the lockout the fuzzer provokes from 127.0.0.1 does not stop the setup.
 */
describe('fuzz: requests inside a session', () => {
  let target: FuzzTarget;
  let known: string[];
  let mfaTenantId: string;
  let address = 0;
  const nextAddress = () => ({ 'x-forwarded-for': `10.9.${Math.floor(++address / 250)}.${(address % 250) + 1}` });

  beforeAll(async () => {
    target = await startFuzzTarget({ TRUST_PROXY: 'true' });
    const { world, server } = target;
    known = [world.email, world.web.clientId, world.accountId];
    mfaTenantId = (await server.tessera.tenants.create('fuzz-mfa', 'Requires MFA')).id;
    await server.tessera.tenants.setMfaRequired(mfaTenantId, true);
  });
  afterAll(() => target.server.destroy());

  /**
   * A browser on the login page of a fresh authorization request: the interaction's path, cookie and CSRF token.
   * With a password, a fresh member of the MFA company signs in first, so the interaction waits for its second
   * factor (the fuzzed codes then count toward that member's lockout, not the next run's).
   */
  async function liveSignIn(options: { password?: string } = {}) {
    const login = await openLoginPage(target.server.issuer, target.world, nextAddress());
    const form = readForm(login.page.body, /\/login$/);
    if (options.password) {
      const email = `mfa-${address}@example.com`;
      const account = await target.server.tessera.accounts.create({ email, password: options.password });
      await target.server.tessera.tenants.addMember(mfaTenantId, account.id, []);
      const answer = await login.post(email, options.password);
      if (answer.status !== 303) throw new Error(`the password step answered ${answer.status}`);
    }
    return {
      path: form.action.replace(/\/login$/, ''),
      cookie: login.browser.cookieHeader(new URL(form.action, target.server.issuer).toString()),
      csrf: form.fields.csrf!,
    };
  }

  it('answers any post to the forms of a live sign-in without a server error', async () => {
    const steps = fc.constantFrom(...INTERACTION_STEPS);
    await fc.assert(
      fc.asyncProperty(steps, sessionRequestParts(FORM_FIELDS, known), async (step, parts) => {
        const live = await liveSignIn();
        const request = toSessionRequest(parts, { ...live, path: `${live.path}${step}` });
        expectNoServerError(request, await target.send(request));
      }),
      budget(150, 6),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers any post to a sign-in waiting for its second factor without a server error', async () => {
    const steps = fc.constantFrom('/enrol', '/second-factor', '/continue', '/abort', '/login', '');
    await fc.assert(
      fc.asyncProperty(steps, sessionRequestParts(FORM_FIELDS, known), async (step, parts) => {
        const live = await liveSignIn({ password: PASSWORD });
        const request = toSessionRequest(parts, { ...live, path: `${live.path}${step}` });
        expectNoServerError(request, await target.send(request));
      }),
      budget(100, 6),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers any request of a signed-in browser to the account pages without a server error', async () => {
    const { browser, page } = await openAccountPage(target.server.issuer, target.world.email, PASSWORD, new Browser(nextAddress()));
    const csrf = readForm(page.body, /revoke-others$/).fields.csrf!;
    const cookie = browser.cookieHeader(`${target.server.issuer}/account`);
    const paths = fc.oneof(
      fc.constantFrom(...ACCOUNT_PAGES),
      fc.string({ maxLength: 20 }).map((id) => `/account/sessions/${encodeURIComponent(id) || 'x'}/revoke`),
    );
    await fc.assert(
      fc.asyncProperty(paths, sessionRequestParts(FORM_FIELDS, known), async (path, parts) => {
        const request = toSessionRequest(parts, { path, cookie, csrf });
        expectNoServerError(request, await target.send(request));
      }),
      budget(400, 5),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('answers any call with a valid access token to the account API and userinfo without a server error', async () => {
    const { world, server } = target;
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const token = (await signInForTokens(web, world, { scope: 'openid email account' }, new Browser(nextAddress()))).access_token;
    // DELETE /account/api/sessions is left out: it would end the very grant this token belongs to.
    const call = fc.record({
      route: fc.constantFrom(
        { method: 'GET', path: '/account/api/sessions' },
        { method: 'DELETE', path: '/account/api/sessions/' },
        { method: 'POST', path: '/account/api/password' },
        { method: 'GET', path: '/me' },
        { method: 'POST', path: '/me' },
      ),
      id: fc.string({ maxLength: 30 }),
      query: queryString(['access_token', 'claims', 'current_password', 'new_password'], known),
      headers: extraHeaders(known),
      authorization: fc.oneof({ weight: 5, arbitrary: fc.constant(`Bearer ${token}`) }, { weight: 1, arbitrary: authorizationHeader([], [token]) }),
      body: wireBody(['current_password', 'new_password', 'access_token', 'claims'], known),
    });
    await fc.assert(
      fc.asyncProperty(call, async ({ route: { method, path }, id, query, headers, authorization, body }) => {
        const url = `${path}${path.endsWith('/') ? encodeURIComponent(id) || 'x' : ''}${query}`;
        const request = assemble(method, url, [['authorization', authorization]], headers, body);
        expectNoServerError(request, await target.send(request));
      }),
      budget(400, 5),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('is still answering, with every stored record unchanged and no prototype polluted', async () => {
    await expectUnharmed(target);
  });
});
