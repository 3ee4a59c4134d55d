import { Redis, type RedisOptions } from 'ioredis';
import { DependencyUnavailableError } from '../../shared/errors.js';
import { convertingFailures } from '../../shared/failures.js';
import type { OperationalLog } from '../../shared/operational-log.js';

/**
 * The Redis connection, set up to fail fast rather than hang. A request that needs Redis while it is down gets
 * a DependencyUnavailableError at once (the HTTP layer answers 503 + Retry-After) while the client keeps
 * reconnecting in the background, so service resumes by itself when Redis is back.
 *
 * One URL configures a single server: `redis://` or `rediss://` (TLS, certificate verified against the system
 * CAs), with credentials and a database number in the URL as usual. Sentinel or Cluster are ioredis options, not
 * URLs; should they be needed, build the client here and keep FAIL_FAST_OPTIONS:
 *   Sentinel: new Redis({ sentinels: [{ host, port }, …], name: 'mymaster', ...FAIL_FAST_OPTIONS })
 *   Cluster:  new Redis.Cluster([{ host, port }, …], { redisOptions: FAIL_FAST_OPTIONS })
 * The adapters are Cluster-ready: every command and script touches one key (see keys.ts).
 */

/** Longest a connected but unresponsive Redis may hold a request. */
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2_000;
const MAX_RECONNECT_DELAY_MS = 5_000;
/** An outage raises an 'error' on every reconnect attempt; the log gets one line per interval, not hundreds. */
const ERROR_LOG_INTERVAL_MS = 30_000;

export const FAIL_FAST_OPTIONS: RedisOptions = {
  connectTimeout: CONNECT_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
  // While disconnected, commands fail at once instead of queueing for a connection that may never come.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  // A command that timed out was already reported as failed; resending it after a reconnect would apply a
  // write (a counted failure, a consumed code) that nobody is waiting for any more.
  autoResendUnfulfilledCommands: false,
  // Always a number: never give up reconnecting, but back off to one attempt every few seconds.
  retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
  // After a managed failover the old primary may answer writes with READONLY: reconnect to find the new one.
  reconnectOnError: (error) => error.message.startsWith('READONLY'),
  keepAlive: 10_000,
  // Commands issued in the same event-loop turn (the index and artifact writes of one token, and those of other
  // requests in flight) leave in one socket write instead of one each: the writes were the largest ioredis cost
  // per token in the benchmark's profile. Each command still succeeds or fails on its own, in order.
  enableAutoPipelining: true,
};

/**
 * Connects at once (not lazily) so the first request finds a warm connection, but never throws or crashes the
 * process when Redis is down: start-up carries on and the outage shows in /readyz and in the log.
 */
export function createRedisClient(url: string, log: OperationalLog): Redis {
  const client = new Redis(url, FAIL_FAST_OPTIONS);
  let lastLoggedAt = 0;
  let suppressed = 0;
  client.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    log.warn({ error: error.message, suppressed }, 'redis unavailable; reconnecting in the background');
    lastLoggedAt = now;
    suppressed = 0;
  });
  client.on('ready', () => {
    if (lastLoggedAt > 0) log.info({}, 'redis connection restored');
  });
  return client;
}

/**
 * Resolves true once the client is ready, false as soon as the first attempt fails or `timeoutMs` passes.
 * Start-up waits on this so the first requests after a normal start do not fail for want of a connection.
 */
export function whenReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onFailure);
      client.off('close', onFailure);
      resolve(ready);
    };
    const onReady = () => settle(true);
    const onFailure = () => settle(false);
    const timer = setTimeout(onFailure, timeoutMs);
    client.once('ready', onReady);
    client.once('error', onFailure);
    client.once('close', onFailure);
  });
}

/** Quits politely when connected; otherwise just stops reconnecting (QUIT cannot be sent without a connection). */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: the connection went away meanwhile.
    }
  }
  client.disconnect();
}

/**
 * Runs Redis work and reports any failure as the dependency being unavailable. Every error from ioredis here
 * means Redis could not serve us (refused, timed out, disconnected, failing over), and the caller's only sensible
 * reaction is the same: give up this request and let the client retry later.
 */
export function redisCall<T>(work: () => Promise<T>): Promise<T> {
  return convertingFailures(work, redisUnavailable);
}

function redisUnavailable(error: unknown): DependencyUnavailableError {
  return new DependencyUnavailableError('redis', { cause: error });
}
