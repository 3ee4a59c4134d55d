import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../shared/errors.js';
import type { OidcArtifact, OidcArtifactStore } from '../storage/ports.js';

/** The artifact model the tokens live under, next to oidc-provider's own models. */
export const PASSWORD_RESET_MODEL = 'PasswordReset';

const TOKEN_BYTES = 32;
/** 32 bytes in base64url, unpadded: exactly 43 characters of the URL-safe alphabet. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Unknown, expired or already used: deliberately one error, so a link reveals nothing about why it failed. */
export class InvalidResetTokenError extends DomainError {
  readonly code = 'invalid_token';

  constructor() {
    super('This password reset link is invalid, has expired or was already used. Ask for a new one.');
  }
}

interface ResetRecord extends OidcArtifact {
  accountId: string;
  /** Epoch milliseconds; checked here too, because some stores only sweep expired entries now and then. */
  expiresAt: number;
}

/**
 * One-time, expiring password-reset tokens.
 *
 * The mailed token is 256 random bits; the store keys the record by the token's SHA-256 only, so a dump of the
 * store (a backup, a Redis snapshot) holds no working link. A plain hash is enough, unlike for passwords: the
 * input is random and full-length, so there is nothing to guess. Redeeming goes through the store's atomic
 * `consume`, so of any number of concurrent attempts with one token exactly one succeeds.
 */
export class PasswordResetTokens {
  constructor(
    private readonly store: OidcArtifactStore,
    private readonly ttlSeconds = 3600,
    private readonly now: () => number = Date.now,
  ) {
    // The stores read a TTL of 0 or less as "never expires"; a reset link must always expire.
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
      throw new RangeError('ttlSeconds must be a positive whole number of seconds');
    }
  }

  /** Creates a token for the account and returns it; this return value is the only place it ever exists. */
  async issue(accountId: string): Promise<string> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const record: ResetRecord = { accountId, expiresAt: this.now() + this.ttlSeconds * 1000 };
    await this.store.upsert(PASSWORD_RESET_MODEL, digest(token), record, this.ttlSeconds);
    return token;
  }

  /** The account a live, unused token belongs to, without spending it (to show the reset form); null otherwise. */
  async peek(token: unknown): Promise<string | null> {
    if (!isTokenShaped(token)) return null;
    return this.liveAccountId(await this.store.find(PASSWORD_RESET_MODEL, digest(token)));
  }

  /** Spends the token and returns its account id; throws InvalidResetTokenError if it cannot be spent. */
  async redeem(token: unknown): Promise<string> {
    if (!isTokenShaped(token)) throw new InvalidResetTokenError();
    const id = digest(token);
    const accountId = this.liveAccountId(await this.store.find(PASSWORD_RESET_MODEL, id));
    if (!accountId) throw new InvalidResetTokenError();
    // The find above only answers early; this is the check that counts. It is atomic in every store, so a
    // token raced by two requests, or replayed after use, loses here.
    if ((await this.store.consume(PASSWORD_RESET_MODEL, id)) !== 'consumed') throw new InvalidResetTokenError();
    return accountId;
  }

  private liveAccountId(record: OidcArtifact | undefined): string | null {
    if (!record || record.consumed) return null;
    const { accountId, expiresAt } = record as Partial<ResetRecord>;
    if (typeof accountId !== 'string' || typeof expiresAt !== 'number' || expiresAt <= this.now()) return null;
    return accountId;
  }
}

function isTokenShaped(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_SHAPE.test(token);
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
