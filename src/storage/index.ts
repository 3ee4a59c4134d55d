import type { Config } from '../config/index.js';
import type { Stores } from './ports.js';
import { createSqliteStores } from './sqlite/index.js';

export type * from './ports.js';

/** Picks the adapters the configuration names; with no URLs everything lives in the SQLite file. */
export async function openStores(config: Config): Promise<Stores> {
  if (config.redisUrl || config.mongodbUri) {
    throw new Error('REDIS_URL and MONGODB_URI are not supported yet: unset them to use the embedded store');
  }
  return createSqliteStores(config.sqlitePath);
}
