import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage } from '../support/login-page.js';
import { PrivateRedisServer } from '../support/private-redis-server.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Outcome {
  kind: 'token' | 'login';
  status: number;
  /** From the later of the request's start and Redis's death: work done before the outage is not its to judge. */
  ms: number;
  retryAfter: string | null;
  phase: 'before' | 'down' | 'after';
}

/**
 * The fault test of 2/7: Redis (with its fsync-always AOF, as in production) is killed while token and login
 * requests stream in, then restarted. Nothing may answer 500, every failure is a 503 within a second, the server
 * recovers by itself, and what was stored before the crash is still there.
 */
describe('Redis crash under load', () => {
  let redis: PrivateRedisServer;
  let redisDir: string;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    redisDir = mkdtempSync(path.join(tmpdir(), 'tessera-redis-'));
    redis = await PrivateRedisServer.reserve();
    await redis.start(redisDir);
    server = await startTestServer({ env: { REDIS_URL: redis.url, TRUST_PROXY: 'true' } });
    world = await seedWorld(server.tessera);
  });
  afterAll(async () => {
    await server.destroy();
    await redis.stop();
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('answers 503 fast while Redis is down, never 500, and recovers without a restart or data loss', async () => {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
    const beforeFault = await signInForTokens(web, world);
    const login = await openLoginPage(server.issuer, world);

    let phase: Outcome['phase'] = 'before';
    let redisDiedAt = 0;
    const outcomes: Outcome[] = [];
    const timed = async (kind: Outcome['kind'], send: () => Promise<Response | { status: number; headers: Headers }>) => {
      const started = performance.now();
      const response = await send();
      const ms = performance.now() - Math.max(started, redisDiedAt);
      outcomes.push({ kind, status: response.status, ms, retryAfter: response.headers.get('retry-after'), phase });
    };
    const tokenRequest = () => clientCredentialsRequest(server, world);
    let attempt = 0;
    const loginRequest = () => login.post(world.email, `wrong ${attempt}`, { 'x-forwarded-for': `10.9.${attempt >> 8}.${attempt++ & 255}` });

    let streaming = true;
    const stream = (async () => {
      while (streaming) await Promise.all([timed('token', tokenRequest), timed('login', loginRequest)]);
    })();

    await new Promise((resolve) => setTimeout(resolve, 700));
    phase = 'down';
    redisDiedAt = performance.now();
    await redis.stop('SIGKILL');
    const readyWhileDown = await fetch(`${server.issuer}/readyz`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await redis.start(redisDir);
    // Recovery is the server's own doing: wait (bounded) until it reports ready again, then judge what follows.
    const restartedAt = Date.now();
    while ((await fetch(`${server.issuer}/readyz`)).status !== 200) {
      expect(Date.now() - restartedAt).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    phase = 'after';
    await new Promise((resolve) => setTimeout(resolve, 1000));
    streaming = false;
    await stream;

    expect(readyWhileDown.status).toBe(503);
    expect((await fetch(`${server.issuer}/readyz`)).status).toBe(200);
    expect(outcomes.filter((outcome) => outcome.status >= 500 && outcome.status !== 503)).toEqual([]);
    const failures = outcomes.filter((outcome) => outcome.status === 503);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.ms).toBeLessThan(1000);
      expect(failure.retryAfter).not.toBeNull();
    }
    const expected = { token: 200, login: 401 };
    for (const outcome of outcomes.filter((each) => each.phase !== 'down')) expect(outcome.status).toBe(expected[outcome.kind]);

    // Nothing stored before the crash is lost: the grant still refreshes, the account still signs in.
    const refreshed = await oidc.refreshTokenGrant(web, beforeFault.refresh_token!);
    expect(refreshed.claims()?.sub).toBe(world.accountId);
    expect((await oidc.clientCredentialsGrant(service, { scope: 'devices:read' })).access_token).toBeTruthy();
    const fresh = await openLoginPage(server.issuer, world);
    expect((await fresh.post(world.email, PASSWORD)).status).toBe(303);
  }, 60_000);
});

/** 2/7: a process started while Redis is down stays alive, says it is not ready, and gets ready by itself. */
describe('starting while Redis is down', () => {
  let redis: PrivateRedisServer;
  let server: TestServer;

  beforeAll(async () => {
    redis = await PrivateRedisServer.reserve();
    server = await startTestServer({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await server.destroy();
    await redis.stop();
  });

  it('is alive but not ready, answers 503 to what needs Redis, and becomes ready once Redis starts', async () => {
    const world = await seedWorld(server.tessera);
    expect((await fetch(`${server.issuer}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.issuer}/readyz`)).status).toBe(503);
    const tokenRequest = () => clientCredentialsRequest(server, world);
    const whileDown = await tokenRequest();
    expect(whileDown.status).toBe(503);
    expect(whileDown.headers.get('retry-after')).not.toBeNull();

    await redis.start();
    const startedAt = Date.now();
    while ((await fetch(`${server.issuer}/readyz`)).status !== 200) {
      expect(Date.now() - startedAt).toBeLessThan(10_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await tokenRequest()).status).toBe(200);
  }, 30_000);
});

/** A raw client_credentials request of the seeded machine client: raw, so a 503 and its headers are seen as sent. */
function clientCredentialsRequest(server: TestServer, world: World): Promise<Response> {
  return fetch(`${server.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${world.service.clientId}:${world.service.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=devices:read',
  });
}
