import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { seedWorld, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** CORS for single-page apps: the client endpoints for registered origins only; JWKS and discovery for everyone. */
describe('CORS', () => {
  const APP_ORIGIN = 'https://rp.example';
  const OTHER_ORIGIN = 'https://evil.example';
  let server: TestServer;
  let world: World;
  let spa: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    spa = await discover(server.issuer, world.spa.clientId);
  });
  afterAll(() => server.destroy());

  const preflight = (path: string, origin: string, method = 'POST') =>
    fetch(new URL(path, server.issuer), {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'dpop, content-type' },
    });

  it.each(['/token', '/me', '/token/revocation'])('answers a preflight to %s from a registered origin', async (path) => {
    const response = await preflight(path, APP_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/DPoP/);
    expect(response.headers.get('vary')).toMatch(/Origin/i);
  });

  it.each(['/token', '/me', '/token/revocation'])('gives no CORS headers to a preflight to %s from an unregistered origin', async (path) => {
    const response = await preflight(path, OTHER_ORIGIN);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });

  it.each(['/token/introspection', '/device/auth', '/request'])('keeps %s closed to browsers, even for a registered origin', async (path) => {
    const response = await preflight(path, APP_ORIGIN);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('opens JWKS and discovery to every origin', async () => {
    for (const path of ['/jwks', '/.well-known/openid-configuration']) {
      const response = await fetch(new URL(path, server.issuer), { headers: { origin: OTHER_ORIGIN } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(OTHER_ORIGIN);
      const pre = await preflight(path, OTHER_ORIGIN, 'GET');
      expect(pre.headers.get('access-control-allow-origin')).toBe(OTHER_ORIGIN);
    }
  });

  it("lets the app's own origin read userinfo and refresh, and refuses another origin with the client's token", async () => {
    const tokens = await signInForTokens(spa, world);
    const userinfo = (origin: string) =>
      fetch(new URL('/me', server.issuer), { headers: { origin, authorization: `Bearer ${tokens.access_token}` } });

    const own = await userinfo(APP_ORIGIN);
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);

    const other = await userinfo(OTHER_ORIGIN);
    expect(other.status).toBe(400);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();

    const refresh = (origin: string) =>
      fetch(new URL('/token', server.issuer), {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: world.spa.clientId }),
      });
    const refused = await refresh(OTHER_ORIGIN);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_request');
    const refreshed = await refresh(APP_ORIGIN);
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });
});
