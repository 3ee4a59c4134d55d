/**
 * Why a forward-auth check failed, in RFC 6750 §3.1 terms; the HTTP layer (forward-auth.ts) turns each into its
 * status and WWW-Authenticate header.
 */
export class MissingTokenError extends Error {
  constructor() {
    super('no bearer token');
    this.name = 'MissingTokenError';
  }
}

/** Expired, revoked, malformed, not ours, or the wrong audience: 401 `invalid_token`. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** A valid token without the scopes the route requires: 403 `insufficient_scope`. */
export class InsufficientScopeError extends Error {
  constructor(readonly requiredScopes: string[]) {
    super(`the route requires the scopes: ${requiredScopes.join(' ')}`);
    this.name = 'InsufficientScopeError';
  }
}
