import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Per-IP rate limits with small budgets, and the body-size guard. Two servers share one store (the same SQLite file,
 * or the same Redis key prefix in the Redis run), as instances of one deployment do: the budget is theirs together.
 */
describe('request limits', () => {
  const limits = {
    TRUST_PROXY: 'true',
    RATE_LIMIT_WINDOW: '60',
    RATE_LIMIT_TOKEN: '4',
    RATE_LIMIT_LOGIN: '2',
    RATE_LIMIT_ADMIN: '1',
    REDIS_KEY_PREFIX: `tessera-it:${randomUUID()}:`,
  };
  let first: TestServer;
  let second: TestServer;
  let world: World;

  beforeAll(async () => {
    first = await startTestServer({ env: limits });
    second = await startTestServer({ env: limits, dataDir: first.dataDir });
    world = await seedWorld(first.tessera);
  });
  afterAll(async () => {
    await second.stop();
    await first.destroy();
  });

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const tokenRequest = (server: TestServer, ip: string) =>
    fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: {
        ...from(ip),
        authorization: `Basic ${Buffer.from(`${world.service.clientId}:${world.service.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials&scope=devices:read',
    });

  it('answers 429 with Retry-After once an IP spends the token budget, on every instance', async () => {
    const statuses = [];
    for (const server of [first, second, first, second]) statuses.push((await tokenRequest(server, '192.0.2.1')).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const refused = await tokenRequest(second, '192.0.2.1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toMatchObject({ error: 'too_many_requests' });
    // Introspection and revocation live under /token and share its budget.
    expect((await fetch(`${first.issuer}/token/introspection`, { method: 'POST', headers: from('192.0.2.1') })).status).toBe(429);
    // Another address has its own budget.
    expect((await tokenRequest(first, '192.0.2.2')).status).toBe(200);
  });

  it('limits sign-in attempts per IP before the password is even checked', async () => {
    const login = await openLoginPage(first.issuer, world, from('192.0.2.3'));
    expect((await login.post(world.email, 'wrong one')).status).toBe(401);
    expect((await login.post(world.email, 'wrong two')).status).toBe(401);
    const refused = await login.post(world.email, 'wrong three');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    // Viewing the page is not an attempt.
    expect((await login.browser.get(login.page.url)).status).toBe(200);
  });

  it('limits any path under a mounted prefix, whether or not a route answers it', async () => {
    expect((await fetch(`${first.issuer}/admin/api/tenants`, { headers: from('192.0.2.4') })).status).not.toBe(429);
    const refused = await fetch(`${second.issuer}/admin/api/anything/else`, { headers: from('192.0.2.4') });
    expect(refused.status).toBe(429);
    expect((await fetch(`${first.issuer}/healthz`, { headers: from('192.0.2.4') })).status).toBe(200);
  });

  it('refuses a declared body over MAX_BODY_SIZE with 413 before reading it', async () => {
    const response = await fetch(`${first.issuer}/token`, {
      method: 'POST',
      headers: { ...from('192.0.2.5'), 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&pad=${'a'.repeat(100 * 1024)}`,
    });
    expect(response.status).toBe(413);
  });
});
