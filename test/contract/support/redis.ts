import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { OperationalLog } from '../../../src/shared/operational-log.js';
import { openRedisStores, type RedisStores } from '../../../src/storage/redis/index.js';

/** Connection trouble is what some tests provoke on purpose; it is not worth printing. */
export const quietLog: OperationalLog = { warn: () => {}, info: () => {} };

/** The real Redis that scripts/test.sh starts for every run. Running without it would silently test nothing. */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through `npm test` or scripts/test.sh');
  return url;
}

/**
 * Redis stores under a key prefix of their own, so parallel test files share one server without seeing each
 * other's keys; closing deletes that prefix's keys only.
 */
export async function openIsolatedRedisStores(): Promise<RedisStores & { keyPrefix: string }> {
  const keyPrefix = `tessera-test:${randomUUID()}:`;
  const stores = await openRedisStores(testRedisUrl(), { log: quietLog, keyPrefix });
  return {
    ...stores,
    keyPrefix,
    async close() {
      await deleteKeysWithPrefix(keyPrefix);
      await stores.close();
    },
  };
}

async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const admin = new Redis(testRedisUrl());
  try {
    // SCAN, not KEYS: never block a shared server. The prefix comes from randomUUID, so no glob characters.
    for await (const keys of admin.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await admin.unlink(...keys);
    }
  } finally {
    await admin.quit();
  }
}
