import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DependencyUnavailableError } from '../../src/shared/errors.js';
import { openRedisStores, type RedisStores } from '../../src/storage/redis/index.js';
import { PrivateRedisServer } from '../support/private-redis-server.js';
import { quietLog } from './support/redis.js';

/** A request must never hang on Redis: it gets a typed error, fast, and the service recovers by itself. */
describe('Redis adapters when Redis fails', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function storesAt(url: string): Promise<RedisStores> {
    const stores = await openRedisStores(url, { log: quietLog, keyPrefix: `tessera-test:${randomUUID()}:` });
    cleanups.push(() => stores.close());
    return stores;
  }

  async function serverOnFreePort(): Promise<PrivateRedisServer> {
    const server = await PrivateRedisServer.reserve();
    cleanups.push(() => server.stop());
    return server;
  }

  async function expectUnavailableWithinASecond(call: () => Promise<unknown>): Promise<void> {
    const startedAt = Date.now();
    await expect(call()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(Date.now() - startedAt).toBeLessThan(1000);
  }

  it('opens while Redis is unreachable, then fails each call at once', async () => {
    const server = await serverOnFreePort(); // reserved, never started: the port refuses connections
    const stores = await storesAt(server.url);
    await expectUnavailableWithinASecond(() => stores.artifacts.find('Session', randomUUID()));
    await expectUnavailableWithinASecond(() => stores.artifacts.consume('AuthorizationCode', randomUUID()));
    await expectUnavailableWithinASecond(() => stores.counters.recordFailure('login:ip:192.0.2.1', 60, Date.now()));
    await expectUnavailableWithinASecond(() => stores.health.check());
  });

  it('gives up on a connected Redis that stops answering', async () => {
    const server = await serverOnFreePort();
    await server.start();
    const stores = await storesAt(server.url);
    await stores.counters.hit('rate:answering', 60);
    const admin = new Redis(server.url);
    cleanups.push(async () => admin.disconnect());
    // Holds every client's commands for 3 s while the connection stays open: a hung server, as seen by the client.
    await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
    await expectUnavailableWithinASecond(() => stores.counters.hit('rate:answering', 60));
  });

  it('recovers by itself when Redis comes back', async () => {
    const server = await serverOnFreePort();
    const stores = await storesAt(server.url);
    await expectUnavailableWithinASecond(() => stores.counters.claimOnce('totp:a:1', 30));
    await server.start();
    const deadline = Date.now() + 10_000;
    let claimed: boolean | undefined;
    while (claimed === undefined && Date.now() < deadline) {
      claimed = await stores.counters.claimOnce('totp:a:1', 30).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    expect(claimed).toBe(true);
    await expect(stores.health.check()).resolves.toBeUndefined();
  });
});
