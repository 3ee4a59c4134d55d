import mongoose from 'mongoose';
import { ConflictError, DependencyUnavailableError } from '../../shared/errors.js';

const { mongo } = mongoose;

/** E11000: a unique index (or `_id`) refused the write. */
const DUPLICATE_KEY = 11000;

/**
 * Server error codes that mean "no usable primary just now", not "your request is wrong". The driver already
 * retries each of these once (retryWrites, retryReads); if one still reaches us, the replica set is failing over,
 * shutting down or cannot replicate, and the caller can only come back later.
 */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  64, // WriteConcernFailed: `w: majority` was not acknowledged within wtimeoutMS
  89, // NetworkTimeout
  91, // ShutdownInProgress
  133, // FailedToSatisfyReadPreference
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/**
 * Errors the driver does not export as classes, known by their stable `name`: mongoose's wrapper for a failed
 * first connection, and a connection pool that is exhausted (every connection busy for too long) or closed.
 */
const UNAVAILABLE_NAMES = new Set([
  'MongooseServerSelectionError',
  'MongoWaitQueueTimeoutError',
  'MongoPoolClosedError',
]);

/** True when MongoDB could not serve the request at all: unreachable, no primary, timed out, or closed. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (
    // MongoNetworkError covers its subclasses: network timeouts and a pool cleared after a network error.
    error instanceof mongo.MongoNetworkError ||
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoTopologyClosedError ||
    error instanceof mongo.MongoClientClosedError ||
    error instanceof mongo.MongoOperationTimeoutError ||
    UNAVAILABLE_NAMES.has(error.name)
  ) {
    return true;
  }
  return error instanceof mongo.MongoError && typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code);
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof mongo.MongoError && error.code === DUPLICATE_KEY;
}

/**
 * Runs MongoDB work and gives its failures the domain's types: a duplicate key becomes a ConflictError with
 * `conflictMessage` (when the caller expects one), an unreachable or failing-over replica set becomes
 * DependencyUnavailableError (the HTTP layer answers 503 + Retry-After). Anything else is a bug and goes up as is.
 */
export async function mongoCall<T>(work: () => Promise<T>, conflictMessage?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDomainError(error, conflictMessage);
  }
}

export function toDomainError(error: unknown, conflictMessage?: string): unknown {
  if (error instanceof DependencyUnavailableError || error instanceof ConflictError) return error;
  if (conflictMessage !== undefined && isDuplicateKey(error)) {
    return new ConflictError(conflictMessage, { cause: error });
  }
  if (isUnavailable(error)) return new DependencyUnavailableError('mongodb', { cause: error });
  return error;
}
