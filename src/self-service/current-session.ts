import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { ACCOUNT_PORTAL_CLIENT_ID } from '../oidc/index.js';

export interface CurrentSession {
  uid: string;
  accountId: string;
}

/** The signed-in browser session, read from the provider's own session cookie; undefined when signed out. */
export async function currentSession(provider: Provider, ctx: Context): Promise<CurrentSession | undefined> {
  const session = await provider.Session.get(ctx as never);
  return session.accountId ? { uid: session.uid, accountId: session.accountId } : undefined;
}

/** Where to send a signed-out browser: an ordinary authorization request for the account portal client. */
export function signInUrl(issuer: string): string {
  const url = new URL('/auth', issuer);
  url.search = new URLSearchParams({
    client_id: ACCOUNT_PORTAL_CLIENT_ID,
    response_type: 'none',
    scope: 'openid',
    redirect_uri: `${issuer}/account`,
  }).toString();
  return url.toString();
}
