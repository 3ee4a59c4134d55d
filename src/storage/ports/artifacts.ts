/** Short-lived state: oidc-provider's models and the security counters (lockout, rate limits, one-time claims). */

/**
 * Storage for oidc-provider's models (sessions, interactions, codes, tokens, grants, …), keyed by model name and id.
 * Mirrors oidc-provider's adapter interface so the provider adapter is a thin shim.
 */
export interface OidcArtifact {
  [key: string]: unknown;
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  consumed?: number;
}

export type ConsumeResult = 'consumed' | 'already-consumed' | 'not-found';

export interface OidcArtifactStore {
  upsert(model: string, id: string, payload: OidcArtifact, expiresInSeconds: number): Promise<void>;
  find(model: string, id: string): Promise<OidcArtifact | undefined>;
  findByUid(model: string, uid: string): Promise<OidcArtifact | undefined>;
  findByUserCode(model: string, userCode: string): Promise<OidcArtifact | undefined>;
  /**
   * Marks the artifact consumed if, and only if, nobody has before: of any number of concurrent calls for one id,
   * exactly one gets 'consumed'.
   */
  consume(model: string, id: string): Promise<ConsumeResult>;
  destroy(model: string, id: string): Promise<void>;
  revokeByGrantId(model: string, grantId: string): Promise<void>;
  /** Live artifacts of one model that belong to one account (e.g. an account's sessions). */
  listByAccount(model: string, accountId: string): Promise<Array<{ id: string; payload: OidcArtifact }>>;
}

/** Failures recorded under one key (an account, an account+IP pair, an IP). */
export interface FailureCount {
  count: number;
  /** Epoch milliseconds of the latest failure. */
  lastFailureAt: number;
}

/**
 * Counters for brute-force protection and rate limits, shared by every instance (Redis in production).
 * Every method is atomic: concurrent calls never lose an update.
 */
export interface SecurityCounters {
  /** Adds one failure and keeps the record for `ttlSeconds` after this failure; returns the new state. */
  recordFailure(key: string, ttlSeconds: number, now: number): Promise<FailureCount>;
  readFailures(key: string): Promise<FailureCount | null>;
  clearFailures(key: string): Promise<void>;
  /**
   * Fixed-window rate limit: counts one hit in the key's current window and returns the hits in it so far. A window
   * opens at the first hit after the previous one closed and lasts `windowSeconds`.
   */
  hit(key: string, windowSeconds: number): Promise<number>;
  /** True for the first caller only while the claim lives (`ttlSeconds`); used to refuse replayed TOTP codes. */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
}
