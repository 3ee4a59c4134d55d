import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { Browser } from '../support/browser.js';
import { cliAgainst } from '../support/cli.js';
import { PASSWORD, REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { discover } from '../support/relying-party.js';
import { signIn } from '../support/sign-in.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** RFC 9126: pushed authorization requests, optional for every client and required for those that say so. */
describe('pushed authorization requests', () => {
  let server: TestServer;
  let world: World;
  let strict: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    // Registered through the CLI, as an operator would.
    const created = await cliAgainst(server.cliEnv)(
      'client create',
      JSON.stringify({
        client_name: 'Bank App',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        scope: 'openid email',
        require_pushed_authorization_requests: true,
      }),
    );
    expect(created.code).toBe(0);
    expect(created.json.require_pushed_authorization_requests).toBe(true);
    strict = { clientId: created.json.client_id, clientSecret: created.json.client_secret };
  });
  afterAll(() => server.destroy());

  async function codeFlowWithPar(config: oidc.Configuration) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    // The browser carries only the client_id and the request_uri, nothing else.
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const callback = await signIn(new Browser(), url, { email: world.email, password: PASSWORD });
    return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
  }

  it('advertises the endpoint in discovery', async () => {
    const config = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    expect(config.serverMetadata().pushed_authorization_request_endpoint).toBe(`${server.issuer}/request`);
  });

  it('signs in through a pushed request for a client that requires it, and for one that does not', async () => {
    const strictConfig = await discover(server.issuer, strict.clientId, strict.clientSecret);
    const tokens = await codeFlowWithPar(strictConfig);
    expect(tokens.claims()?.sub).toBe(world.accountId);
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    expect((await codeFlowWithPar(web)).access_token).toBeDefined();
  });

  it('refuses a plain authorization request from a client that requires pushed requests', async () => {
    const url = new URL('/auth', server.issuer);
    url.search = new URLSearchParams({
      client_id: strict.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('refuses to push a request without client authentication', async () => {
    const response = await fetch(new URL('/request', server.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: strict.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid' }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });
});
