import * as oidc from 'openid-client';
import { Browser } from './browser.js';
import { PASSWORD, REDIRECT_URI, type World } from './fixtures.js';
import { signIn } from './sign-in.js';

/** openid-client configured for one of the seeded clients; plain HTTP is allowed because tests run on loopback. */
export function discover(issuer: string, clientId: string, clientSecret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, clientSecret, clientSecret ? undefined : oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** An authorization-code request with PKCE (S256) and state, and what redeeming its code takes. */
export async function authorizationRequest(config: oidc.Configuration, params: Record<string, string>) {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    ...params,
  });
  return { url, codeVerifier, state };
}

/** A full sign-in as the seeded user, ending with the code exchanged for tokens. */
export async function signInForTokens(
  config: oidc.Configuration,
  world: World,
  params: Record<string, string> = {},
  browser = new Browser(),
  /** For the code exchange, e.g. `{ DPoP }` to bind the tokens to a key. */
  grantOptions?: oidc.AuthorizationCodeGrantOptions,
): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  const { url, codeVerifier, state } = await authorizationRequest(config, {
    scope: 'openid email offline_access',
    // OpenID Connect only honours offline_access with an explicit consent prompt.
    prompt: 'consent',
    ...params,
  });
  const callback = await signIn(browser, url, { email: world.email, password: PASSWORD });
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state }, undefined, grantOptions);
}
