import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * A budget of 100 is large enough for the instances to count hits locally below half of it (RateLimitWindows).
 * The budget still holds: exactly on one instance, and across instances once the locally counted hits have been
 * sent to the shared store (here by closing the instance that counted them).
 */
describe('rate limits counted locally far below the budget', () => {
  const BUDGET = 100;
  const limits = {
    TRUST_PROXY: 'true',
    RATE_LIMIT_WINDOW: '60',
    RATE_LIMIT_TOKEN: String(BUDGET),
    REDIS_KEY_PREFIX: `tessera-it:${randomUUID()}:`,
  };
  let first: TestServer;
  let second: TestServer;
  let firstStopped = false;

  beforeAll(async () => {
    first = await startTestServer({ env: limits });
    second = await startTestServer({ env: limits, dataDir: first.dataDir });
  });
  afterAll(async () => {
    if (!firstStopped) await first.stop();
    await second.destroy();
  });

  // Introspection without credentials is refused at once; the rate limit counts it before that, as any /token request.
  const introspect = async (server: TestServer, ip: string) => {
    const headers = { 'x-forwarded-for': ip };
    const response = await fetch(`${server.issuer}/token/introspection`, { method: 'POST', headers });
    return response.status;
  };
  const statuses = async (server: TestServer, ip: string, count: number) => {
    const seen: number[] = [];
    for (let i = 0; i < count; i += 1) seen.push(await introspect(server, ip));
    return seen;
  };

  it('admits exactly the budget on one instance', async () => {
    const seen = await statuses(first, '192.0.2.10', BUDGET + 1);
    expect(seen.slice(0, BUDGET).filter((status) => status === 429)).toEqual([]);
    expect(seen[BUDGET]).toBe(429);
  });

  it('shares the hits one instance counted locally with the others once it sends them', async () => {
    const seen = await statuses(first, '192.0.2.11', 40);
    expect(seen).not.toContain(429);
    // Closing sends the pending hits, as the one-second flush does while running.
    await first.stop();
    firstStopped = true;
    const rest = await statuses(second, '192.0.2.11', BUDGET - 40 + 1);
    expect(rest.slice(0, BUDGET - 40)).not.toContain(429);
    expect(rest.at(-1)).toBe(429);
  });
});
