import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const METRICS_TOKEN = 'scrape-token-for-the-tests-0123456789';

/** /metrics with a token on the public listener: what it guards and what it counts after a real flow. */
describe('metrics', () => {
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    // The cheapest Argon2 the config allows: the lockout part hashes a dozen wrong passwords.
    server = await startTestServer({ env: { METRICS_TOKEN, TRUST_PROXY: 'true', ARGON2_TIME_COST: '1', ARGON2_MEMORY_KIB: '8192' } });
    world = await seedWorld(server.tessera);
  });
  afterAll(() => server.destroy());

  const scrape = async () => {
    const response = await fetch(`${server.issuer}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };
  /** The value of one series, 0 when absent. */
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((each) => each.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  it('answers only bearers of the metrics token', async () => {
    expect((await fetch(`${server.issuer}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.issuer}/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('is not served publicly without a token', async () => {
    const untokened = await startTestServer();
    try {
      expect((await fetch(`${untokened.issuer}/metrics`)).status).toBe(404);
    } finally {
      await untokened.destroy();
    }
  });

  it('counts requests by route pattern, sign-ins by outcome, lockouts and tokens by grant type', async () => {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world);
    await oidc.refreshTokenGrant(web, tokens.refresh_token!);
    const service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
    await oidc.clientCredentialsGrant(service, { scope: 'devices:read' });
    // One address guessing: eleven failures pass the threshold of ten, so the twelfth is refused unchecked.
    const login = await openLoginPage(server.issuer, world, { 'x-forwarded-for': '198.51.100.23' });
    for (let attempt = 0; attempt < 12; attempt += 1) await login.post(world.email, `wrong guess ${attempt}`);

    const text = await scrape();
    expect(sample(text, 'tessera_logins_total{outcome="succeeded",step="password"}')).toBe(1);
    expect(sample(text, 'tessera_logins_total{outcome="failed",step="password"}')).toBe(11);
    expect(sample(text, 'tessera_login_lockouts_total')).toBe(1);
    const issued = (grant: string, token: string) => sample(text, `tessera_tokens_issued_total{grant_type="${grant}",token_type="${token}"}`);
    expect(issued('authorization_code', 'access_token')).toBe(1);
    expect(issued('authorization_code', 'refresh_token')).toBe(1);
    expect(issued('authorization_code', 'id_token')).toBe(1);
    expect(issued('refresh_token', 'refresh_token')).toBe(1);
    expect(issued('client_credentials', 'access_token')).toBe(1);

    expect(sample(text, 'tessera_http_requests_total{method="POST",route="/token",status="200"}')).toBe(3);
    expect(sample(text, 'tessera_http_requests_total{method="POST",route="/interaction/:uid/login",status="401"}')).toBe(12);
    expect(text).toContain('tessera_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/token",status="200"}');
    // Route patterns only: no interaction uid, client id or email ever becomes a label value.
    const uid = /\/interaction\/([\w-]+)\/login/.exec(login.page.body)![1]!;
    expect(text).not.toContain(uid);
    expect(text).not.toContain(world.email);
    expect(text).not.toContain(world.web.clientId);

    expect(sample(text, 'tessera_store_operation_duration_seconds_count{port="artifacts",operation="upsert"}')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });
});
