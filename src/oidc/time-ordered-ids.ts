import type Provider from 'oidc-provider';

/**
 * The models oidc-provider writes at a high rate (one or more per token request), keyed by the id it generates: a
 * token's value for opaque tokens, its `jti` for JWTs, a grant's id.
 */
const HIGH_RATE_MODELS = ['AccessToken', 'ClientCredentials', 'RefreshToken', 'AuthorizationCode', 'Grant'] as const;

/**
 * base64url's characters in ASCII order: a number written with them sorts as text in the same order as the number,
 * and the id stays within base64url (what oidc-provider and every client expect of a token).
 */
const SORTED_BASE64URL = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
/** 64^7 ms reach the year 2109. */
const PREFIX_LENGTH = 7;

/** The time `at` (epoch ms) written so that later times sort after earlier ones as text. */
export function timePrefix(at: number): string {
  let rest = Math.floor(at);
  let prefix = '';
  for (let index = 0; index < PREFIX_LENGTH; index += 1) {
    prefix = SORTED_BASE64URL[rest % 64] + prefix;
    rest = Math.floor(rest / 64);
  }
  return prefix;
}

interface ModelWithGeneratedIds {
  prototype: { generateTokenId(): string };
}

/**
 * Prefixes the ids of the high-rate models with their creation time, ahead of oidc-provider's own random part (256
 * bits by default, unchanged): the ids stay as unguessable as before, and a new id now sorts after the ones
 * issued before it, like a UUIDv7 or ULID.
 *
 * Why: the stores index artifacts by id in a B-tree (SQLite's primary key, MongoDB's _id). Random ids land on a
 * random leaf each, so every token written dirtied a leaf page of its own, and SQLite writes whole pages to its WAL
 * at every commit and again at checkpoint: with 100k tokens stored, a commit of 6 tokens wrote 13.8 pages and cost
 * ≈ 310 µs of CPU, against 7.4 pages and ≈ 200 µs with ordered ids (bench/ROUNDS.md, tenth round). Fresh tokens, the
 * ones introspected and refreshed, now also share the index's hot right edge. What the prefix gives away is when the
 * token was issued, to whoever holds the token: its expiry already says as much.
 *
 * `generateTokenId` is oidc-provider's own (undocumented) method for this; its absence fails startup rather than
 * silently going back to random order.
 */
export function timeOrderTokenIds(provider: Provider, now: () => number = Date.now): void {
  for (const name of HIGH_RATE_MODELS) {
    const model = (provider as unknown as Record<string, ModelWithGeneratedIds | undefined>)[name];
    const generateRandomId = model?.prototype.generateTokenId;
    if (typeof generateRandomId !== 'function') {
      throw new TypeError(`oidc-provider's ${name} model no longer generates its ids through generateTokenId`);
    }
    model!.prototype.generateTokenId = function generateTimeOrderedId(this: unknown) {
      return timePrefix(now()) + generateRandomId.call(this);
    };
  }
}
