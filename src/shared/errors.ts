/**
 * Base of every error a domain service throws on purpose. The HTTP layer maps each subclass to a status code;
 * nothing below it knows about HTTP. `code` is stable and machine-readable, `message` is safe to show a client.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that fails validation; `field` names the offending field so the caller can fix it. */
export class ValidationError extends DomainError {
  readonly code = 'invalid_request';

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
}

/** A store or other dependency is unreachable; callers should retry later. */
export class DependencyUnavailableError extends DomainError {
  readonly code = 'temporarily_unavailable';

  constructor(
    readonly dependency: string,
    options?: ErrorOptions,
  ) {
    super(`${dependency} is temporarily unavailable`, options);
  }
}
