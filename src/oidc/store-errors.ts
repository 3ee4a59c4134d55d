import { errors } from 'oidc-provider';
import { DependencyUnavailableError } from '../shared/errors.js';

const RETRY_AFTER_SECONDS = 5;

/**
 * A store is down. oidc-provider turns anything it does not know into a 500 `server_error`; this is one of its own
 * errors instead, so the token endpoint answers 503 `temporarily_unavailable` and the authorization endpoint
 * redirects that error to the client, as RFC 6749 §4.1.2.1 intends.
 */
export class StoreUnavailableError extends errors.OIDCProviderError {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;

  constructor(cause: DependencyUnavailableError) {
    super(503, 'temporarily_unavailable', { cause });
    // OIDCProviderError hides 5xx details; this one is safe and useful to show.
    this.expose = true;
    (this as { error_description?: string }).error_description = `${cause.dependency} is temporarily unavailable, retry shortly`;
  }
}

/**
 * Runs a store call, translating an outage into the provider's own error type. Not an async function: it is on every
 * token lookup and write, and an async wrapper would add two promises to each (with oidc-provider's async-context
 * hooks, each one costs).
 */
export function translateOutage<T>(call: () => Promise<T>): Promise<T> {
  try {
    return call().catch(translated);
  } catch (error) {
    return Promise.reject(translated(error));
  }
}

function translated(error: unknown): never {
  if (error instanceof DependencyUnavailableError) throw new StoreUnavailableError(error);
  throw error;
}
