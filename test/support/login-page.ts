import * as oidc from 'openid-client';
import { Browser, readForm, type BrowserResponse } from './browser.js';
import { REDIRECT_URI, type World } from './fixtures.js';

/** A browser parked on the login page of a fresh authorization request, ready to post credentials repeatedly. */
export async function openLoginPage(issuer: string, world: World, headers: Record<string, string> = {}) {
  const browser = new Browser(headers);
  const url = new URL('/auth', issuer);
  url.search = new URLSearchParams({
    client_id: world.web.clientId,
    response_type: 'code',
    scope: 'openid email',
    redirect_uri: REDIRECT_URI,
    code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
    code_challenge_method: 'S256',
  }).toString();
  const page = await browser.follow(await browser.get(url.toString()), issuer);
  const form = readForm(page.body, /\/login$/);
  const action = new URL(form.action, issuer).toString();
  /** Posts the login form with the CSRF token and any fields, raw (nested `a[b]` names included). */
  const postFields = (fields: Record<string, string>, extraHeaders: Record<string, string> = {}): Promise<BrowserResponse> =>
    browser.request(action, {
      method: 'POST',
      body: new URLSearchParams({ csrf: form.fields.csrf ?? '', ...fields }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...extraHeaders },
    });
  return {
    browser,
    page,
    postFields,
    post: (email: string, password: string, extraHeaders: Record<string, string> = {}) =>
      postFields({ email, password }, extraHeaders),
  };
}

/** The page with what differs between attempts blanked out: the message and the echoed email. */
export function pageShape(body: string): string {
  return body
    .replace(/(<p class="error" role="alert"[^>]*>)[^<]*<\/p>/, '$1</p>')
    .replace(/name="email"([^>]*)value="[^"]*"/, 'name="email"$1value=""');
}
