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

/**
 * The models listed by account: an account's sessions (the sessions page, sign-out everywhere) and grants (access
 * revocation). Many other artifacts carry an accountId too (tokens, codes, session activity); indexing them all
 * cost the Redis adapter an index set per account and model (≈ 330 B per session for SessionActivity alone).
 */
export const ACCOUNT_LISTED_MODELS: ReadonlySet<string> = new Set(['Session', 'Grant']);

/** listByAccount was asked for a model outside ACCOUNT_LISTED_MODELS: a programming error, not an outage. */
export class NotListedByAccountError extends Error {
  constructor(model: string) {
    super(`${model} artifacts are not indexed by account`);
    this.name = 'NotListedByAccountError';
  }
}

/** What every adapter's listByAccount checks first: adapters keep no account index for the other models. */
export function assertListedByAccount(model: string): void {
  if (!ACCOUNT_LISTED_MODELS.has(model)) throw new NotListedByAccountError(model);
}

/**
 * Models that are never consumed: oidc-provider's classes for them have no `consume()` (a unit test checks), and
 * Tessera's own SessionActivity, SessionCompany and GrantCompany are only ever saved. Every adapter refuses `consume()` on them. That lets the Redis
 * adapter write them, the bulk of its writes (every token, session and interaction), with one plain SET: it need not
 * read the old value first to carry a consumed mark over, a mark they can never have.
 */
export const NEVER_CONSUMED_MODELS: ReadonlySet<string> = new Set([
  'AccessToken',
  'ClientCredentials',
  'Session',
  'SessionActivity',
  'SessionCompany',
  'GrantCompany',
  'Interaction',
  'Grant',
  'RegistrationAccessToken',
  'InitialAccessToken',
  'ReplayDetection',
]);

/** consume() was asked for a model in NEVER_CONSUMED_MODELS: a programming error, not an outage. */
export class NotConsumableError extends Error {
  constructor(model: string) {
    super(`${model} artifacts cannot be consumed`);
    this.name = 'NotConsumableError';
  }
}

/** What every adapter's consume checks first. */
export function assertConsumable(model: string): void {
  if (NEVER_CONSUMED_MODELS.has(model)) throw new NotConsumableError(model);
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
  /**
   * Live artifacts of one model that belong to one account (e.g. an account's sessions). Only the models in
   * ACCOUNT_LISTED_MODELS can be listed: an adapter may keep no account index for the others.
   */
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
   * Fixed-window rate limit: counts `by` hits (one by default) in the key's current window and returns the hits in
   * it so far. A window opens at the first hit after the previous one closed and lasts `windowSeconds`. Counting
   * several at once lets an instance report the hits it counted locally in one call (see rate-limit-windows.ts).
   */
  hit(key: string, windowSeconds: number, by?: number): Promise<number>;
  /** True for the first caller only while the claim lives (`ttlSeconds`); used to refuse replayed TOTP codes. */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
}
