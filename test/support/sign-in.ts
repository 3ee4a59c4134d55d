import { expect } from '@jest/globals';
import { Browser, readForm, type BrowserResponse } from './browser.js';

export interface SignInOptions {
  email: string;
  password: string;
  /** Click "Allow" on the consent page when it is shown (default true). */
  consent?: boolean;
}

/**
 * Walks the real pages like a person: open the authorization URL, fill the login form, allow on the consent page.
 * Returns the final redirect to the client (its Location), which carries the code.
 */
export async function signIn(browser: Browser, authorizationUrl: URL, options: SignInOptions): Promise<URL> {
  const origin = authorizationUrl.origin;
  let page = await browser.follow(await browser.get(authorizationUrl.toString()), origin);
  if (page.body.includes('name="password"')) {
    page = await submit(browser, page, /\/login$/, { email: options.email, password: options.password });
  }
  if (page.body.includes('Allow access')) {
    page = await submit(browser, page, options.consent === false ? /\/abort$/ : /\/confirm$/, {});
  }
  if (!page.location) throw new Error(`sign-in stopped at ${page.status} ${page.url}:\n${page.body.slice(0, 2000)}`);
  return new URL(page.location!);
}

export async function submit(
  browser: Browser,
  page: BrowserResponse,
  action: RegExp,
  fields: Record<string, string>,
): Promise<BrowserResponse> {
  const form = readForm(page.body, action);
  const response = await browser.post(new URL(form.action, page.url).toString(), { ...form.fields, ...fields });
  return browser.follow(response, new URL(page.url).origin);
}
