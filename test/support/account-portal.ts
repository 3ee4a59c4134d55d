import { expect } from '@jest/globals';
import { Browser, readForm, type BrowserResponse } from './browser.js';

/** Opens /account as a person would: sent to sign in, back to the account page. */
export async function openAccountPage(issuer: string, email: string, password: string, browser = new Browser()) {
  const start = await browser.follow(await browser.get(`${issuer}/account`), issuer);
  if (start.body.includes('name="password"')) {
    const form = readForm(start.body, /\/login$/);
    const after = await browser.follow(
      await browser.post(new URL(form.action, issuer).toString(), { ...form.fields, email, password }),
      issuer,
    );
    expect(after.status).toBe(200);
    expect(after.body).toContain('Your account');
    return { browser, page: after };
  }
  expect(start.body).toContain('Your account');
  return { browser, page: start };
}

/** Submits the form on `page` whose action matches, with extra fields. */
export async function submitForm(
  browser: Browser,
  issuer: string,
  page: BrowserResponse,
  action: RegExp,
  fields: Record<string, string> = {},
): Promise<BrowserResponse> {
  const form = readForm(page.body, action);
  return browser.follow(await browser.post(new URL(form.action, issuer).toString(), { ...form.fields, ...fields }), issuer);
}

/** The TOTP secret as printed on the enrolment page (grouped in fours). */
export function secretOnPage(body: string): string {
  const match = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(body);
  if (!match) throw new Error('no secret on the page');
  return match[1]!.replace(/ /g, '');
}

export function recoveryCodesOnPage(body: string): string[] {
  return [...body.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1]!);
}
