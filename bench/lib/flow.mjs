// The browser side of the authorization code + PKCE flow, over real HTTP: a cookie jar, manual redirects and
// form posts (as test/support/browser.ts does), so each flow is what a person's browser sends: authorize, the
// login page, the login POST (one Argon2id verify on the server), the consent page and its POST, the code
// exchange. Autocannon cannot carry state across such a chain, so flows are driven here, with their own clock.
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** A real browser's User-Agent: Tessera stores it with each session, so its length matters for scenario 7. */
export const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export class Browser {
  cookies = new Map();

  async request(url, init = {}) {
    const headers = { 'user-agent': USER_AGENT, ...(init.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1).trim());
    }
    return { status: response.status, url, location: response.headers.get('location'), body: await response.text() };
  }

  get(url) {
    return this.request(url, { method: 'GET' });
  }

  post(url, fields) {
    return this.request(url, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Follows redirects while they stay on `origin`; returns the page, or the redirect that leaves. */
  async follow(response, origin) {
    let current = response;
    for (let hops = 0; current.location && new URL(current.location, current.url).origin === origin; hops += 1) {
      if (hops > 10) throw new Error('redirect loop');
      current = await this.get(new URL(current.location, current.url).toString());
    }
    return current;
  }
}

export function readForm(html, actionPattern) {
  const forms = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((match) => actionPattern.test(match[1].replace(/&amp;/g, '&')));
  if (!form) throw new Error(`no form ${actionPattern} in page: ${html.slice(0, 300)}`);
  const fields = {};
  for (const [input] of form[2].matchAll(/<input[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    if (name) fields[name] = (/\bvalue="([^"]*)"/.exec(input)?.[1] ?? '').replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  }
  return { action: form[1].replace(/&amp;/g, '&'), fields };
}

async function submit(browser, page, action, fields, origin) {
  const form = readForm(page.body, action);
  return browser.follow(await browser.post(new URL(form.action, page.url).toString(), { ...form.fields, ...fields }), origin);
}

/**
 * One authorization: authorize → (login) → (consent) → code → token. With a fresh Browser it is the full flow
 * with a password login; with a signed-in one (and prompt=consent) it skips the login and so the hash.
 */
export async function authorize(base, world, { browser = new Browser(), scope = 'openid email', prompt } = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL('/auth', base);
  url.search = new URLSearchParams({
    client_id: world.web.clientId,
    response_type: 'code',
    scope,
    redirect_uri: world.redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    ...(prompt ? { prompt } : {}),
  }).toString();
  const origin = new URL(base).origin;
  let page = await browser.follow(await browser.get(url.toString()), origin);
  if (page.body.includes('name="password"')) {
    page = await submit(browser, page, /\/login$/, { email: world.email, password: world.password }, origin);
  }
  if (page.body.includes('Allow access')) page = await submit(browser, page, /\/confirm$/, {}, origin);
  if (!page.location?.startsWith(world.redirectUri)) {
    throw new Error(`flow stopped at ${page.status} ${page.url}: ${page.body.slice(0, 200)}`);
  }
  const code = new URL(page.location).searchParams.get('code');
  const response = await fetch(new URL('/token', base), {
    method: 'POST',
    headers: {
      authorization: basic(world.web.clientId, world.web.clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: world.redirectUri }).toString(),
  });
  const tokens = await response.json();
  if (response.status !== 200) throw new Error(`code exchange ${response.status}: ${JSON.stringify(tokens)}`);
  return { tokens, browser };
}

export function basic(id, secret) {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/**
 * Full flows (fresh browser each, so each one logs in) from `concurrency` virtual users, for `durationMs` or
 * `maxFlows`, whichever comes first. Returns completed flows, errors and each flow's latency (ms).
 */
export async function runFlows(base, world, { concurrency, durationMs, maxFlows = 100_000, stop }) {
  const latencies = [];
  let errors = 0;
  let started = 0;
  let firstError;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && started < maxFlows && !stop?.stopped) {
      started += 1;
      const t0 = performance.now();
      try {
        await authorize(base, world);
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= String(error?.message ?? error);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { completed: latencies.length, errors, firstError, latencies, elapsedMs: performance.now() - t0 };
}
