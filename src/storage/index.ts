import type { Config } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import type { Stores } from './ports.js';
import type { OperationalLog } from '../shared/operational-log.js';
import { openRedisStores } from './redis/index.js';
import { createMongoStores } from './mongo/index.js';
import { MovedArtifactStore } from './moved-artifact-store.js';
import { RoutingArtifactStore } from './routing-artifact-store.js';
import { createSqliteStores } from './sqlite/index.js';

export type * from './ports.js';

/**
 * Picks the adapters the configuration names, each store on its own:
 * - nothing set: everything in the SQLite file;
 * - REDIS_URL: the short-lived oidc-provider artifacts (sessions, interactions, codes, access tokens) and the security
 *   counters in Redis, the rest in SQLite: grants and refresh tokens too, as in the production topology;
 * - MONGODB_URI: companies, accounts, roles, groups, clients, keys, audit, grants and refresh tokens in MongoDB;
 * - both: the production topology, with no local file at all.
 * `log` receives store connection trouble; the composition root passes its logger.
 */
export async function openStores(config: Config, log: OperationalLog = createLogger(config.logLevel)): Promise<Stores> {
  if (!config.mongodbUri && !config.redisUrl) return createSqliteStores(config.sqlitePath);
  const opened: Array<{ close(): Promise<void> }> = [];
  const keep = <T extends { close(): Promise<void> }>(store: T): T => (opened.push(store), store);
  const closeAll = () => Promise.all(opened.map((store) => store.close())).then(() => undefined);
  try {
    const sqlite = config.mongodbUri && config.redisUrl ? undefined : keep(createSqliteStores(config.sqlitePath));
    const redis = config.redisUrl
      ? keep(await openRedisStores(config.redisUrl, { log, keyPrefix: config.redisKeyPrefix }))
      : undefined;
    // MongoDB must be reachable to open (its unique indexes must exist before the first write): one attempt, and
    // DependencyUnavailableError when it fails; the server's start-up gate answers 503 meanwhile and tries again.
    // A later outage answers 503 like any other.
    const mongo = config.mongodbUri ? keep(await createMongoStores(config.mongodbUri, { log })) : undefined;
    const records = mongo ?? sqlite!;
    const shortLived = redis?.artifacts ?? sqlite!.artifacts;
    // Earlier versions kept some long-lived artifacts in the short-lived store (see MovedArtifactStore).
    const longLived = new MovedArtifactStore(mongo?.longLivedArtifacts ?? sqlite!.artifacts, shortLived);
    return {
      tenants: records.tenants,
      accounts: records.accounts,
      memberships: records.memberships,
      roles: records.roles,
      groups: records.groups,
      accountDeletions: records.accountDeletions,
      clients: records.clients,
      resourceServers: records.resourceServers,
      keyMaterial: records.keyMaterial,
      protectedFields: records.protectedFields,
      registryVersion: mongo ? undefined : sqlite!.registryVersion,
      audit: records.audit,
      artifacts: new RoutingArtifactStore(longLived, shortLived),
      counters: redis?.counters ?? sqlite!.counters,
      health: [...(sqlite?.health ?? []), ...(redis ? [redis.health] : []), ...(mongo ? [mongo.health] : [])],
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
