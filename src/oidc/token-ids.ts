import type Provider from 'oidc-provider';

/**
 * The models oidc-provider writes at a high rate (one or more per token request), keyed by the id it generates: a
 * token's value for opaque tokens, its `jti` for JWTs, a grant's id. Each gets a marker of its own kind.
 */
const KIND_MARKERS = {
  AccessToken: 'at',
  ClientCredentials: 'cc',
  RefreshToken: 'rt',
  AuthorizationCode: 'ac',
  Grant: 'gr',
} as const;

/**
 * base64url's characters in ASCII order: a number written with them sorts as text in the same order as the number,
 * and the id stays within base64url (what oidc-provider and every client expect of a token).
 */
const SORTED_BASE64URL = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
/** 64^7 ms reach the year 2109. */
const PREFIX_LENGTH = 7;
/** oidc-provider's random part at its default 256 bits, which Tessera keeps. */
const RANDOM_LENGTH = 43;
/** An id as generated here. Ids issued before (43 random characters) can never match it. */
const MARKED_ID = new RegExp(`^(${Object.values(KIND_MARKERS).join('|')})_[\\w-]{${PREFIX_LENGTH + RANDOM_LENGTH}}$`);

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

/**
 * Whether `id` was generated for a model other than `model`, so that `model` cannot have it stored. Stores key
 * artifacts by (model, id); this answers a lookup that could only miss without asking the store: introspection and
 * revocation look a token up as an access token, a client-credentials token and a refresh token at once.
 */
export function generatedForAnotherModel(model: string, id: string): boolean {
  const marker = MARKED_ID.exec(id)?.[1];
  return marker !== undefined && marker !== (KIND_MARKERS as Record<string, string>)[model];
}

interface ModelWithGeneratedIds {
  prototype: { generateTokenId(): string };
}

/**
 * Ids of the high-rate models become `<kind>_<issue time><oidc-provider's random part>`, e.g. `cc_0kVh3Xq…`. The 256
 * random bits are unchanged, so the ids stay as unguessable as before.
 *
 * The time, written to sort as text (like a UUIDv7 or ULID), is for the stores' B-trees (SQLite's primary key,
 * MongoDB's _id). Random ids land on a random leaf each, so every token written dirtied a leaf page of its own, and
 * SQLite writes whole pages to its WAL at every commit and again at checkpoint: with 100k tokens stored, a commit of
 * 6 tokens wrote 13.8 pages and cost ≈ 310 µs of CPU, against 7.4 pages and ≈ 200 µs with ordered ids
 * (bench/ROUNDS.md, tenth round). Fresh tokens, the ones introspected and refreshed, now also share the index's hot
 * right edge. What the time gives away is when the token was issued, to whoever holds the token: its expiry already
 * says as much.
 *
 * The kind saves lookups that can only miss (generatedForAnotherModel) and, like GitHub's `ghp_` or Ory's `ory_at_`,
 * lets a secret scanner or a person tell what a leaked value is.
 *
 * `generateTokenId` is oidc-provider's own (undocumented) method for this; its absence fails startup rather than
 * silently going back to random ids.
 */
export function shapeTokenIds(provider: Provider, now: () => number = Date.now): void {
  for (const [name, marker] of Object.entries(KIND_MARKERS)) {
    const model = (provider as unknown as Record<string, ModelWithGeneratedIds | undefined>)[name];
    const generateRandomId = model?.prototype.generateTokenId;
    if (typeof generateRandomId !== 'function') {
      throw new TypeError(`oidc-provider's ${name} model no longer generates its ids through generateTokenId`);
    }
    model!.prototype.generateTokenId = function generateShapedId(this: unknown) {
      return `${marker}_${timePrefix(now())}${generateRandomId.call(this)}`;
    };
  }
}
