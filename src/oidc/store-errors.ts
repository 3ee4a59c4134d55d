import { errors } from 'oidc-provider';
import { DependencyUnavailableError } from '../shared/errors.js';
import { convertingFailures } from '../shared/failures.js';

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

/** Runs a store call, translating an outage into the provider's own error type. */
export function translateOutage<T>(call: () => Promise<T>): Promise<T> {
  return convertingFailures(call, providerError);
}

function providerError(error: unknown): unknown {
  return error instanceof DependencyUnavailableError ? new StoreUnavailableError(error) : error;
}
