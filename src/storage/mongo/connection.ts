import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type ClientSession, type Connection, type ConnectOptions } from 'mongoose';
import { DependencyUnavailableError } from '../../shared/errors.js';
import type { HealthCheck } from '../ports.js';
import { isUnavailable, mongoCall, toDomainError } from './errors.js';
import type { OperationalLog } from '../../shared/operational-log.js';

/**
 * The MongoDB connection, set up for a replica set and to fail fast: while no primary can be reached, a request
 * gets DependencyUnavailableError within about a second (the HTTP layer answers 503 + Retry-After) instead of
 * queueing, and the driver keeps monitoring the members so service resumes by itself after a failover.
 *
 * The URI carries everything about where and how to connect, e.g.
 *   mongodb://mongo1:27017,mongo2:27018,mongo3:27019/tessera?replicaSet=rs0
 *   mongodb+srv://user:pass@cluster.example.net/tessera                 (SRV: TLS on by default)
 *   mongodb://user:pass@h1,h2,h3/tessera?replicaSet=rs0&tls=true&authSource=admin
 * TLS is switched on with `tls=true` in the URI (certificates are verified against the system CAs, or
 * `tlsCAFile=/path/ca.pem`); credentials go in the URI too, percent-encoded.
 */

export interface MongoConnectionOptions {
  /** Overrides the database named in the URI (each contract-test run uses its own). */
  dbName?: string;
  log?: OperationalLog;
  /**
   * How long connecting keeps trying to reach a primary before giving up; by default it tries once (about a
   * second), because the server's start-up gate (src/startup/starting-gate.ts) retries the whole start-up itself.
   */
  startupTimeoutMs?: number;
}

export interface MongoConnection {
  /** The mongoose connection the models are compiled on. */
  readonly connection: Connection;
  /** Builds every index the models declare and drops those they no longer declare; awaited once at start-up. */
  syncIndexes(): Promise<void>;
  /**
   * Runs `work` in a multi-document transaction (snapshot reads, majority commit) through the driver's
   * `session.withTransaction`, which retries the whole of `work` on a transient error: keep `work` free of side
   * effects outside MongoDB, and pass `{ session }` to every operation in it.
   */
  withTransaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T>;
  readonly health: HealthCheck;
  close(): Promise<void>;
}

/** Used when the URI names no database: mongoose would otherwise write to one called "test". */
const DEFAULT_DATABASE = 'tessera';
/** One attempt: the next would come after STARTUP_RETRY_DELAY_MS, past this deadline. */
const SINGLE_ATTEMPT_MS = 0;
const STARTUP_RETRY_DELAY_MS = 1_000;
/** A transaction gives up retrying transient errors after this long; the driver alone would go on for 120 s. */
const TRANSACTION_BUDGET_MS = 5_000;

const SILENT: OperationalLog = { warn() {}, info() {} };

/** A fresh object per call: mongoose deletes the options it consumes from the object it is given. */
function connectOptions(dbName: string): ConnectOptions {
  return {
    dbName,
    // Any operator object that reaches a filter from input ({ "$ne": null }) is wrapped in $eq and so matches
    // only itself; the adapter's own operators are marked with mongoose.trusted().
    sanitizeFilter: true,
    // While disconnected, operations fail at once instead of waiting in mongoose's queue for a connection.
    bufferCommands: false,
    // Indexes are built by syncIndexes(), awaited at start-up, not in the background as models compile.
    autoIndex: false,
    // Acknowledged only once a majority of members has the write, so a failover never loses it. wtimeoutMS stops
    // a write from waiting forever when the secondaries cannot keep up (the write is then reported unavailable).
    writeConcern: { w: 'majority', wtimeoutMS: 5_000 },
    // One automatic retry of a write or read that hit a failover or a dropped connection.
    retryWrites: true,
    retryReads: true,
    // Reads see the latest acknowledged writes (a secondary may lag behind).
    readPreference: 'primary',
    // How long an operation waits for a usable primary: the fail-fast budget while the replica set is down.
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 2_000,
    // A connection that stops answering mid-operation is closed after this long (longer than any one query,
    // including building a new index on a small collection at start-up).
    socketTimeoutMS: 10_000,
    // Per instance and per member; every Tessera process holds its own pool.
    maxPoolSize: 20,
    appName: 'tessera',
  };
}

/**
 * Connects on a connection of its own (never mongoose's global one). Connecting retries until a primary answers
 * or `startupTimeoutMs` passes (by default: one attempt), then throws DependencyUnavailableError: the indexes,
 * unique ones included, must exist before the first request, so the server answers 503 from its start-up gate and
 * tries again until MongoDB is there. After that an outage never throws here: the driver reconnects by itself and
 * each operation fails fast meanwhile.
 */
export async function createMongoConnection(
  uri: string,
  options: MongoConnectionOptions = {},
): Promise<MongoConnection> {
  const log = options.log ?? SILENT;
  const dbName = options.dbName ?? databaseNamedIn(uri) ?? DEFAULT_DATABASE;
  const connection = mongoose.createConnection();
  await openWithRetry(connection, uri, dbName, log, options.startupTimeoutMs ?? SINGLE_ATTEMPT_MS);
  const stopReporting = reportStateChanges(connection, log);

  return {
    connection,
    syncIndexes: () => mongoCall(async () => void (await connection.syncIndexes())),
    withTransaction: (work) => withTransaction(connection, work),
    health: {
      name: 'mongodb',
      check: () =>
        mongoCall(async () => {
          if (!connection.db) throw new DependencyUnavailableError('mongodb');
          // Asks the primary, so "ready" means writes can be served too.
          await connection.db.admin().command({ ping: 1 }, { readPreference: 'primary' });
        }),
    },
    async close() {
      stopReporting();
      await connection.destroy();
    },
  };
}

async function openWithRetry(connection: Connection, uri: string, dbName: string, log: OperationalLog, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await connection.openUri(uri, connectOptions(dbName));
      if (attempt > 1) log.info({ attempt }, 'mongodb reachable; starting');
      return;
    } catch (error) {
      // Anything but unreachability (a malformed URI, refused credentials) will not get better by waiting.
      if (!isUnavailable(error) || Date.now() + STARTUP_RETRY_DELAY_MS >= deadline) {
        // destroy, not close: a closed connection stays in mongoose's list, and the start-up gate may try many times.
        await connection.destroy().catch(() => {});
        throw toDomainError(error);
      }
      log.warn({ attempt, error: (error as Error).message }, 'mongodb not reachable yet; retrying');
      await sleep(STARTUP_RETRY_DELAY_MS);
    }
  }
}

/**
 * One log line per change of state: mongoose emits these when the primary is lost or found again, not on every
 * failed heartbeat. Returns the way to stop, so that closing on purpose is not logged as an outage.
 */
function reportStateChanges(connection: Connection, log: OperationalLog): () => void {
  const onDisconnected = () => log.warn({}, 'mongodb primary unreachable; requests fail until there is one again');
  const onReconnected = () => log.info({}, 'mongodb primary reachable again');
  connection.on('disconnected', onDisconnected);
  connection.on('reconnected', onReconnected);
  // Without a listener an 'error' event would crash the process, so this one stays until the very end.
  connection.on('error', (error: Error) => log.warn({ error: error.message }, 'mongodb connection error'));
  return () => {
    connection.off('disconnected', onDisconnected);
    connection.off('reconnected', onReconnected);
  };
}

async function withTransaction<T>(connection: Connection, work: (session: ClientSession) => Promise<T>): Promise<T> {
  const deadline = Date.now() + TRANSACTION_BUDGET_MS;
  return mongoCall(() =>
    connection.transaction(
      async (session) => {
        try {
          return await work(session);
        } catch (error) {
          // A non-driver error ends withTransaction's retry loop at once (after an abort), so a request is not
          // held for the driver's two minutes of retries while the replica set is down.
          if (isUnavailable(error) && Date.now() >= deadline) {
            throw new DependencyUnavailableError('mongodb', { cause: error });
          }
          throw error;
        }
      },
      { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
    ),
  );
}

/** The database in the URI's path (`mongodb://hosts/<db>?options`), if any. */
function databaseNamedIn(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
