import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { Browser, readForm } from '../support/browser.js';
import { PASSWORD, REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * A production-like deployment behind a TLS-terminating proxy: the issuer is https, the proxy is trusted and says
 * so in X-Forwarded-Proto. The server itself listens on loopback HTTP.
 */
describe('HTTPS enforcement, security headers and cookies', () => {
  let server: TestServer;
  let world: World;
  let local: string;
  let viaProxy: Browser;

  beforeAll(async () => {
    server = await startTestServer({
      issuer: (port) => `https://localhost:${port}`,
      env: { FORCE_HTTPS: 'true', TRUST_PROXY: 'true' },
    });
    world = await seedWorld(server.tessera);
    local = `http://127.0.0.1:${server.port}`;
    viaProxy = new Browser(
      { 'x-forwarded-proto': 'https', 'x-forwarded-host': new URL(server.issuer).host },
      (url) => url.replace(server.issuer, local),
    );
  });
  afterAll(() => server.destroy());

  it('redirects a browser GET over plain HTTP to HTTPS with 308', async () => {
    const response = await fetch(`${local}/.well-known/openid-configuration?x=1`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe(`${server.issuer}/.well-known/openid-configuration?x=1`);
  });

  it('refuses a plain-HTTP API call instead of redirecting it', async () => {
    const response = await fetch(`${local}/token`, { method: 'POST', body: 'grant_type=client_credentials', redirect: 'manual' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('keeps liveness and readiness probes reachable over plain HTTP', async () => {
    expect((await fetch(`${local}/healthz`)).status).toBe(200);
    expect((await fetch(`${local}/readyz`)).status).toBe(200);
  });

  it('sends HSTS, CSP and the other security headers', async () => {
    const response = await viaProxy.get(`${server.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains; preload');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('ignores X-Forwarded-Proto from an untrusted peer', async () => {
    const untrusted = await startTestServer({ issuer: (port) => `https://localhost:${port}`, env: { FORCE_HTTPS: 'true' } });
    try {
      const response = await fetch(`http://127.0.0.1:${untrusted.port}/jwks`, {
        headers: { 'x-forwarded-proto': 'https' },
        redirect: 'manual',
      });
      expect(response.status).toBe(308);
    } finally {
      await untrusted.destroy();
    }
  });

  it('sets HttpOnly, Secure, SameSite=Lax cookies, the session one host-only with the __Host- prefix', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const authorize = new URL('/auth', server.issuer);
    authorize.search = new URLSearchParams({
      client_id: world.web.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();

    const started = await viaProxy.get(authorize.toString());
    const interactionCookies = started.headers.getSetCookie();
    expect(interactionCookies.length).toBeGreaterThan(0);
    for (const cookie of interactionCookies) expectHardened(cookie, '__Secure-');

    const page = await viaProxy.follow(started, server.issuer);
    const form = readForm(page.body, /\/login$/);
    const loggedIn = await viaProxy.post(new URL(form.action, server.issuer).toString(), {
      ...form.fields,
      email: world.email,
      password: PASSWORD,
    });
    const resumed = await viaProxy.get(new URL(loggedIn.location!, server.issuer).toString());
    const sessionCookies = resumed.headers.getSetCookie().filter((cookie) => cookie.startsWith('__Host-tessera.session'));
    expect(sessionCookies.length).toBeGreaterThan(0);
    for (const cookie of sessionCookies) {
      expectHardened(cookie, '__Host-');
      expect(cookie.toLowerCase()).toContain('path=/;');
      expect(cookie.toLowerCase()).not.toContain('domain=');
    }
  });
});

function expectHardened(cookie: string, prefix: string): void {
  const lower = cookie.toLowerCase();
  expect(cookie.startsWith(prefix)).toBe(true);
  expect(lower).toContain('httponly');
  expect(lower).toContain('secure');
  expect(lower).toContain('samesite=lax');
}
