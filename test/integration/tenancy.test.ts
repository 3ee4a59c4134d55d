import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { openAccountPage } from '../support/account-portal.js';
import { Browser } from '../support/browser.js';
import { cliAgainst } from '../support/cli.js';
import { API, PASSWORD, REDIRECT_URI } from '../support/fixtures.js';
import { discover } from '../support/relying-party.js';
import { submit } from '../support/sign-in.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { until } from '../support/until.js';

interface Company {
  id: string;
  slug: string;
}

/**
 * Tenancy end to end against the real server: the company chosen at sign-in, the scopes a token really carries
 * (requested ∩ allowed for the client ∩ granted by the user's roles there), and isolation between companies.
 */
describe('tenancy', () => {
  let server: TestServer;
  let client: oidc.Configuration;
  let acme: Company;
  let globex: Company;
  const suffix = randomUUID().slice(0, 8);
  const cli = (args: string, stdin = '') => cliAgainst(server.cliEnv)(args, stdin);

  beforeAll(async () => {
    server = await startTestServer();
    const { tessera } = server;
    acme = await tessera.tenants.create(`acme-${suffix}`, 'Acme');
    globex = await tessera.tenants.create(`globex-${suffix}`, 'Globex');
    if (!(await tessera.stores.resourceServers.find(API))) {
      await tessera.resourceServers.register({ identifier: API, scopes: 'devices:read devices:write', jwtAccessTokens: true });
    }
    const registered = await tessera.clients.register({
      client_id: `console-${suffix}`,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid offline_access devices:read devices:write',
    });
    client = await discover(server.issuer, registered.clientId, String(registered.metadata.client_secret));
  });
  afterAll(() => server.destroy());

  async function newUser(...companies: Array<{ company: Company; roles: string[] }>): Promise<{ email: string; id: string }> {
    const email = `user-${randomUUID().slice(0, 8)}@example.com`;
    const account = await server.tessera.accounts.create({ email, name: 'User', password: PASSWORD });
    for (const { company, roles } of companies) await server.tessera.tenants.addMember(company.id, account.id, roles);
    return { email, id: account.id };
  }

  async function role(company: Company, permissions: string): Promise<string> {
    const name = `role-${randomUUID().slice(0, 8)}`;
    await server.tessera.accessControl.createRole(company.id, name, permissions);
    return name;
  }

  /** An authorization request for the API, asking for consent; `finish` exchanges the code it ends with. */
  async function authorizationRequest(params: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(client, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid offline_access devices:read devices:write',
      resource: API,
      prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...params,
    });
    const finish = (callback: URL) => oidc.authorizationCodeGrant(client, callback, { pkceCodeVerifier: verifier, expectedState: state });
    return { url: url.toString(), finish };
  }

  /** Walks login (and the company chooser, picking `choose`), consent, then exchanges the code. */
  async function authorize(
    email: string,
    params: Record<string, string> = {},
    choose?: Company,
    browser = new Browser(),
  ): Promise<{ callback: URL; chooserShown: boolean; tokens?: oidc.TokenEndpointResponse }> {
    const request = await authorizationRequest(params);
    let page = await browser.follow(await browser.get(request.url), server.issuer);
    // A browser that is already signed in goes straight on.
    if (page.body.includes('name="password"')) page = await submit(browser, page, /\/login$/, { email, password: PASSWORD });
    const chooserShown = page.body.includes('Choose a company');
    if (chooserShown) page = await submit(browser, page, /\/company$/, { company: choose!.slug });
    if (page.body.includes('Allow access')) page = await submit(browser, page, /\/confirm$/, {});
    if (!page.location) throw new Error(`authorization stopped at ${page.status}: ${page.body.slice(0, 500)}`);
    const callback = new URL(page.location);
    if (callback.searchParams.has('error')) return { callback, chooserShown };
    return { callback, chooserShown, tokens: await request.finish(callback) };
  }

  /** A member who may read devices in Acme and write them in Globex, whose browser signed in to Acme. */
  async function signedInToAcmeOfTwo() {
    const user = await newUser(
      { company: acme, roles: [await role(acme, 'devices:read')] },
      { company: globex, roles: [await role(globex, 'devices:write')] },
    );
    const browser = new Browser();
    return { user, browser, inAcme: await authorize(user.email, {}, acme, browser) };
  }

  const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

  it('issues the intersection: a devices:read role asking for devices:read devices:write gets devices:read', async () => {
    const user = await newUser({ company: acme, roles: [await role(acme, 'devices:read')] });
    const { tokens, chooserShown } = await authorize(user.email);
    expect(chooserShown).toBe(false);
    expect(tokens!.scope!.split(' ')).not.toContain('devices:write');
    const payload = claims(tokens!.access_token);
    expect(payload).toMatchObject({ aud: API, scope: 'devices:read', company: acme.id, sub: user.id });
  });

  it('asks consent, in words per API, only for the scopes the user’s roles grant', async () => {
    const user = await newUser({ company: acme, roles: [await role(acme, 'devices:read')] });
    const browser = new Browser();
    const url = oidc.buildAuthorizationUrl(client, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid devices:read devices:write',
      resource: API,
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    let page = await browser.follow(await browser.get(url.toString()), server.issuer);
    page = await submit(browser, page, /\/login$/, { email: user.email, password: PASSWORD });
    expect(page.body).toContain('Allow access');
    expect(page.body).toContain(`See your company’s devices (${API})`);
    expect(page.body).not.toContain('devices:write');
  });

  it('grants scopes held through a group role as well as direct ones, and nothing without a role', async () => {
    const writer = await role(acme, 'devices:write');
    const user = await newUser({ company: acme, roles: [] });
    const none = await authorize(user.email);
    expect(claims(none.tokens!.access_token).scope ?? '').toBe('');

    const group = `writers-${suffix}-${randomUUID().slice(0, 4)}`;
    await server.tessera.accessControl.createGroup(acme.id, group);
    await server.tessera.accessControl.addGroupMember(acme.id, group, user.id);
    await server.tessera.accessControl.addGroupRole(acme.id, group, writer);
    const viaGroup = await authorize(user.email);
    expect(claims(viaGroup.tokens!.access_token).scope).toBe('devices:write');
  });

  it('shows a member of two companies the chooser, and the token names the chosen company with its roles', async () => {
    const user = await newUser(
      { company: acme, roles: [await role(acme, 'devices:read')] },
      { company: globex, roles: [await role(globex, 'devices:read; devices:write')] },
    );
    const inGlobex = await authorize(user.email, {}, globex);
    expect(inGlobex.chooserShown).toBe(true);
    expect(claims(inGlobex.tokens!.access_token)).toMatchObject({ company: globex.id, scope: 'devices:read devices:write' });

    const inAcme = await authorize(user.email, {}, acme);
    expect(inAcme.chooserShown).toBe(true);
    expect(claims(inAcme.tokens!.access_token)).toMatchObject({ company: acme.id, scope: 'devices:read' });

    // `tenant` preselects (no chooser), as does login_hint=tenant:<slug>.
    const preselected = await authorize(user.email, { tenant: globex.slug });
    expect(preselected.chooserShown).toBe(false);
    expect(claims(preselected.tokens!.access_token).company).toBe(globex.id);
    const hinted = await authorize(user.email, { login_hint: `tenant:${acme.slug}` });
    expect(hinted.chooserShown).toBe(false);
    expect(claims(hinted.tokens!.access_token).company).toBe(acme.id);
  });

  it('never issues a token for a company the user is not a member of', async () => {
    const user = await newUser({ company: acme, roles: [await role(acme, 'devices:read')] });
    const attempts: Array<Record<string, string>> = [
      { tenant: globex.slug },
      { login_hint: `tenant:${globex.slug}` },
      { tenant: 'no-such-company' },
    ];
    for (const params of attempts) {
      const { callback, tokens } = await authorize(user.email, params);
      expect(tokens).toBeUndefined();
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.has('code')).toBe(false);
    }
  });

  it('switches a signed-in browser to the company a request names, without a new password', async () => {
    const { user, browser, inAcme: first } = await signedInToAcmeOfTwo();
    expect(claims(first.tokens!.access_token)).toMatchObject({ company: acme.id, scope: 'devices:read' });

    const again = await authorize(user.email, {}, undefined, browser);
    expect(again.chooserShown).toBe(false);
    expect(claims(again.tokens!.access_token).company).toBe(acme.id);

    const switched = await authorize(user.email, { tenant: globex.slug }, undefined, browser);
    expect(switched.chooserShown).toBe(false);
    expect(claims(switched.tokens!.access_token)).toMatchObject({ company: globex.id, scope: 'devices:write' });

    const outsider = await authorize(user.email, { tenant: `initech-${suffix}-none` }, undefined, browser);
    expect(outsider.tokens).toBeUndefined();
    expect(outsider.callback.searchParams.get('error')).toBe('access_denied');
  });

  it('keeps a grant in its company when the session switches company while that grant awaits consent', async () => {
    const { user, browser, inAcme } = await signedInToAcmeOfTwo();

    // One tab asks again in Acme and stops at the consent page of Acme's grant …
    const pending = await authorizationRequest();
    const consentPage = await browser.follow(await browser.get(pending.url), server.issuer);
    expect(consentPage.body).toContain('Allow access');
    // … while another switches the browser to Globex.
    const inGlobex = await authorize(user.email, { tenant: globex.slug }, undefined, browser);
    expect(claims(inGlobex.tokens!.access_token)).toMatchObject({ company: globex.id, scope: 'devices:write' });

    // Allowing in the first tab now consents in Globex, in a grant of its own (asking for the rest again).
    let page = await submit(browser, consentPage, /\/confirm$/, {});
    for (let asked = 0; page.body.includes('Allow access') && asked < 3; asked += 1) page = await submit(browser, page, /\/confirm$/, {});
    const late = await pending.finish(new URL(page.location!));
    expect(claims(late.access_token)).toMatchObject({ company: globex.id, scope: 'devices:write' });

    // Acme's grant did not move: its refresh token still acts in Acme, with Acme's roles.
    const refreshed = await oidc.refreshTokenGrant(client, inAcme.tokens!.refresh_token!, { resource: API });
    expect(claims(refreshed.access_token)).toMatchObject({ company: acme.id, scope: 'devices:read' });
  });

  it('asks a browser signed in on the account pages (no company) which company to act in', async () => {
    const user = await newUser({ company: acme, roles: [] }, { company: globex, roles: [await role(globex, 'devices:read')] });
    const { browser } = await openAccountPage(server.issuer, user.email, PASSWORD);
    const { chooserShown, tokens } = await authorize(user.email, {}, globex, browser);
    expect(chooserShown).toBe(true);
    expect(claims(tokens!.access_token)).toMatchObject({ company: globex.id, scope: 'devices:read' });
  });

  it('refuses a posted company the user is not a member of on the chooser', async () => {
    const user = await newUser({ company: acme, roles: [] }, { company: globex, roles: [] });
    const outsider = await server.tessera.tenants.create(`initech-${suffix}`, 'Initech');
    const browser = new Browser();
    const url = oidc.buildAuthorizationUrl(client, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    let page = await browser.follow(await browser.get(url.toString()), server.issuer);
    page = await submit(browser, page, /\/login$/, { email: user.email, password: PASSWORD });
    expect(page.body).toContain('Choose a company');
    const refused = await submit(browser, page, /\/company$/, { company: outsider.slug });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Choose one of your companies.');
  });

  it('applies a role change at the next token (refresh)', async () => {
    const name = await role(acme, 'devices:read; devices:write');
    const user = await newUser({ company: acme, roles: [name] });
    const { tokens } = await authorize(user.email);
    expect(claims(tokens!.access_token).scope).toBe('devices:read devices:write');

    await server.tessera.accessControl.setRolePermissions(acme.id, name, 'devices:read');
    const refreshed = await oidc.refreshTokenGrant(client, tokens!.refresh_token!, { resource: API });
    expect(claims(refreshed.access_token)).toMatchObject({ scope: 'devices:read', company: acme.id });
  });

  it('puts permissions on named resources into the token as RFC 9396 authorization_details', async () => {
    await server.tessera.resourceServers.register({ identifier: `${API}/vnc-${suffix}`, scopes: 'devices:read devices:vnc', jwtAccessTokens: true });
    const vncApi = `${API}/vnc-${suffix}`;
    const registered = await server.tessera.clients.register({
      client_id: `remote-${suffix}`,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid offline_access devices:read devices:vnc',
    });
    const remote = await discover(server.issuer, registered.clientId, String(registered.metadata.client_secret));
    const user = await newUser({ company: acme, roles: [await role(acme, 'devices:read; device dev_123 dev_456: devices:vnc')] });
    const browser = new Browser();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(remote, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid offline_access devices:read devices:vnc',
      resource: vncApi,
      prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    let page = await browser.follow(await browser.get(url.toString()), server.issuer);
    page = await submit(browser, page, /\/login$/, { email: user.email, password: PASSWORD });
    page = await submit(browser, page, /\/confirm$/, {});
    const tokens = await oidc.authorizationCodeGrant(remote, new URL(page.location!), { pkceCodeVerifier: verifier });
    const payload = claims(tokens.access_token);
    expect(payload.scope).toBe('devices:read');
    const expected = ['dev_123', 'dev_456'].map((identifier) => ({
      type: 'device',
      identifier,
      actions: ['devices:vnc'],
      locations: [vncApi],
    }));
    expect(payload.authorization_details).toEqual(expected);
    const refreshed = await oidc.refreshTokenGrant(remote, tokens.refresh_token!, { resource: vncApi });
    expect(claims(refreshed.access_token).authorization_details).toEqual(expected);
  });

  it('records the chosen company and the tokens issued, refreshed and revoked in that company’s audit chain', async () => {
    const user = await newUser({ company: globex, roles: [await role(globex, 'devices:read')] });
    const { tokens } = await authorize(user.email);
    const refreshed = await oidc.refreshTokenGrant(client, tokens!.refresh_token!, { resource: API });
    await oidc.tokenRevocation(client, refreshed.refresh_token!);
    // Token events are written after the response; give them a moment to land.
    let events: Awaited<ReturnType<typeof server.tessera.audit.query>> = [];
    await until(async () => {
      events = await server.tessera.audit.query({ chain: globex.id, limit: 20 });
      return events.some((event) => event.type === 'token.revoked');
    });
    const mine = events.filter((event) => event.subject === user.id);
    // The sign-in itself is in this trail too: its company was known from the request before the password step.
    expect(mine.map((event) => event.type).reverse()).toEqual([
      'login.succeeded',
      'login.company_chosen',
      'consent.granted',
      'token.issued',
      'token.refreshed',
      'token.revoked',
    ]);
    expect(mine.find((event) => event.type === 'token.issued')?.details).toEqual({ grantType: 'authorization_code', scope: 'devices:read' });
    const stored = JSON.stringify(events);
    for (const secret of [tokens!.access_token, tokens!.refresh_token!, refreshed.access_token, refreshed.refresh_token!]) {
      expect(stored).not.toContain(secret);
    }
    expect((await server.tessera.audit.verify(globex.id)).firstBreak).toBeNull();
  });
});
