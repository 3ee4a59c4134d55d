import type Provider from 'oidc-provider';
import { generateSigningKey, SIGNING_ALGORITHMS, type FieldEncryption } from '../crypto/index.js';
import type { Logger } from '../observability/logger.js';
import type { JwtSigningAlgorithm, KeyMaterialRepository, ResourceServerRepository } from '../storage/ports.js';
import { keySetAt, type KeySet, type RingKey } from './key-ring.js';
import { replaceSigningKeys, signingKeyIds } from './keystore-swap.js';

type Jwk = Record<string, unknown>;

export interface SigningKeyRingOptions {
  /** The configured keys (JWKS/JWKS_FILE), or those generated on first start: generation zero of every algorithm. */
  baseKeys: Jwk[];
  store: KeyMaterialRepository;
  encryption: FieldEncryption;
  /** How long a new key is published before it signs. */
  leadTimeSeconds: number;
  /** The longest life of a token a key signs: how long a retired key stays published (signedTokenRetention). */
  retentionSeconds: () => Promise<number>;
  logger: Logger;
  now?: () => number;
}

export interface RotatedKey {
  kid: string;
  alg: JwtSigningAlgorithm;
  publishedAt: Date;
  signsFrom: Date;
}

/** Checking the store this often at most: a rotation reaches every instance within a quarter of the lead time. */
const MAX_POLL_MS = 30_000;
const MIN_POLL_MS = 200;

/**
 * Signing-key rotation without downtime. `rotate` stores a new key per algorithm (encrypted) that every instance
 * publishes at once and signs with only after the lead time; each instance polls the store and swaps the keys of
 * its running provider when the set changes (keystore-swap.ts), so no restart is needed anywhere.
 */
export class SigningKeyRing {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: SigningKeyRingOptions) {
    this.now = options.now ?? Date.now;
  }

  async rotate(algs: readonly JwtSigningAlgorithm[] = SIGNING_ALGORITHMS): Promise<RotatedKey[]> {
    const publishedAt = new Date(this.now());
    const signsFrom = new Date(publishedAt.getTime() + this.options.leadTimeSeconds * 1000);
    const added: RotatedKey[] = [];
    for (const alg of algs) {
      const jwk = generateSigningKey(alg);
      const kid = String(jwk.kid);
      await this.options.store.addSigningKey({
        kid,
        alg,
        encryptedJwk: this.options.encryption.encrypt(JSON.stringify(jwk), signingKeyContext(kid)),
        activeFrom: signsFrom,
        createdAt: publishedAt,
      });
      added.push({ kid, alg, publishedAt, signsFrom });
    }
    await this.dropExpired(await this.keySet());
    return added;
  }

  /** The set in force now, from the base keys and what the store holds. */
  async keySet(): Promise<KeySet> {
    const rotated: RingKey[] = [];
    for (const record of await this.options.store.listSigningKeys()) {
      try {
        const jwk = JSON.parse(this.options.encryption.decrypt(record.encryptedJwk, signingKeyContext(record.kid))) as Jwk;
        rotated.push({ jwk, alg: record.alg, activeFrom: record.activeFrom.getTime() });
      } catch (error) {
        // A key this instance cannot read (a field key it lacks) is left out rather than stopping every other.
        this.options.logger.error({ err: error, kid: record.kid }, 'cannot decrypt a rotated signing key; left out');
      }
    }
    return keySetAt(this.options.baseKeys, rotated, this.now(), (await this.options.retentionSeconds()) * 1000);
  }

  /** Brings the provider's keys up to date now, then keeps them so until `stop`. */
  async watch(provider: Provider): Promise<void> {
    await this.refresh(provider);
    this.schedule(provider, this.pollMs());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async refresh(provider: Provider): Promise<number | null> {
    const set = await this.keySet();
    const kids = set.keys.map((key) => String(key.kid));
    if (kids.join(' ') !== signingKeyIds(provider).join(' ')) {
      replaceSigningKeys(provider, set.keys);
      this.options.logger.info({ kids }, 'signing keys updated');
    }
    await this.dropExpired(set);
    return set.nextChangeAt;
  }

  private schedule(provider: Provider, delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.refresh(provider).then(
        (nextChangeAt) => {
          // Wake up when a key is due to start signing rather than up to a poll interval late.
          const untilChange = nextChangeAt === null ? Infinity : Math.max(nextChangeAt - this.now(), MIN_POLL_MS);
          this.schedule(provider, Math.min(this.pollMs(), untilChange));
        },
        (error: unknown) => {
          // A store outage keeps the keys in force; the next poll tries again.
          this.options.logger.warn({ err: error }, 'could not refresh signing keys');
          this.schedule(provider, this.pollMs());
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  private pollMs(): number {
    return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, (this.options.leadTimeSeconds * 1000) / 4));
  }

  private async dropExpired(set: KeySet): Promise<void> {
    for (const kid of set.expiredKids) await this.options.store.removeSigningKey(kid);
  }
}

function signingKeyContext(kid: string): string {
  return `signing-key:${kid}`;
}

/**
 * How long a retired key must stay published: the longest-lived token it could have signed (ID tokens, JWT access
 * tokens, client-credentials tokens), counting each resource server's own access-token lifetime. Read at each
 * refresh, so a resource server registered later with a longer lifetime keeps old keys longer.
 */
export function signedTokenRetention(
  ttl: { accessToken: number; clientCredentials: number; idToken: number },
  resourceServers: ResourceServerRepository,
): () => Promise<number> {
  return async () =>
    Math.max(ttl.accessToken, ttl.clientCredentials, ttl.idToken, (await resourceServers.longestAccessTokenTtl()) ?? 0);
}
