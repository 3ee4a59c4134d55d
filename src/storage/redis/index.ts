import type { HealthCheck, OidcArtifactStore, SecurityCounters } from '../ports.js';
import { RedisArtifactStore } from './artifact-store.js';
import { closeRedisClient, createRedisClient, redisCall, whenReady } from './client.js';
import type { OperationalLog } from '../../shared/operational-log.js';
import { DEFAULT_KEY_PREFIX, RedisKeys } from './keys.js';
import { RedisSecurityCounters } from './security-counters.js';

/** How long start-up waits for a first connection before carrying on without one. */
const STARTUP_WAIT_MS = 2_000;

/** The ports Redis serves: the short-lived, high-churn data every instance must share. */
export interface RedisStores {
  artifacts: OidcArtifactStore;
  counters: SecurityCounters;
  health: HealthCheck;
  close(): Promise<void>;
}

export interface RedisStoreOptions {
  log: OperationalLog;
  /** Namespaces every key, so several deployments (or test runs) can share one Redis. */
  keyPrefix?: string;
}

/** Never rejects for Redis being down: the stores then fail per call with DependencyUnavailableError. */
export async function openRedisStores(url: string, options: RedisStoreOptions): Promise<RedisStores> {
  const client = createRedisClient(url, options.log);
  if (!(await whenReady(client, STARTUP_WAIT_MS))) {
    options.log.warn({}, 'redis is not reachable at start-up; starting anyway and reconnecting in the background');
  }
  const keys = new RedisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  return {
    artifacts: new RedisArtifactStore(client, keys),
    counters: new RedisSecurityCounters(client, keys),
    health: { name: 'redis', check: () => redisCall(async () => void (await client.ping())) },
    close: () => closeRedisClient(client),
  };
}
