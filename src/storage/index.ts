import type { Config } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import type { Stores } from './ports.js';
import { openRedisStores, type RedisLog } from './redis/index.js';
import { createSqliteStores } from './sqlite/index.js';

export type * from './ports.js';

/**
 * Picks the adapters the configuration names. With no URLs everything lives in the SQLite file; with REDIS_URL
 * the short-lived artifacts and the security counters move to Redis (shared by every instance) and the rest stays
 * in SQLite. `log` receives Redis connection trouble; the composition root passes its logger.
 */
export async function openStores(config: Config, log: RedisLog = createLogger(config.logLevel)): Promise<Stores> {
  if (config.mongodbUri) {
    // The MongoDB adapter (src/storage/mongo) is being written; until it is wired in here, refuse rather than
    // silently keep the data in a local file the operator did not ask for.
    throw new Error('MONGODB_URI is not supported yet: unset it to keep accounts and clients in the SQLite file');
  }
  const sqlite = createSqliteStores(config.sqlitePath);
  if (!config.redisUrl) return sqlite;

  const redis = await openRedisStores(config.redisUrl, { log, keyPrefix: config.redisKeyPrefix });
  return {
    ...sqlite,
    artifacts: redis.artifacts,
    counters: redis.counters,
    health: [...sqlite.health, redis.health],
    async close() {
      await Promise.all([redis.close(), sqlite.close()]);
    },
  };
}
