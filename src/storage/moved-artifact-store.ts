import type { ConsumeResult, OidcArtifact, OidcArtifactStore } from './ports.js';

/**
 * The long-lived models' store while some of their artifacts may still sit where an earlier version kept them.
 * Until this version, a deployment with Redis and no MongoDB kept grants and refresh tokens in Redis, and every
 * deployment kept a grant's company in the short-lived store. What was written there stays there until it expires,
 * and a user's refresh token must keep working across the upgrade. So:
 * - writes go to the current store only;
 * - a lookup the current store misses asks the previous one (one more lookup, for misses only);
 * - consume goes to the previous store only for an artifact the current store has never seen;
 * - destroy and revocation reach both, so nothing revoked lives on in the previous store;
 * - a listing by account merges both, the current store's copy of an id winning.
 * Once the longest grant lifetime has passed since the upgrade, the previous store holds none of these artifacts and
 * this class can go (the composition root then routes to the current store directly).
 */
export class MovedArtifactStore implements OidcArtifactStore {
  constructor(
    private readonly current: OidcArtifactStore,
    private readonly previous: OidcArtifactStore,
  ) {}

  upsert(model: string, id: string, payload: OidcArtifact, expiresInSeconds: number): Promise<void> {
    return this.current.upsert(model, id, payload, expiresInSeconds);
  }

  async find(model: string, id: string): Promise<OidcArtifact | undefined> {
    return (await this.current.find(model, id)) ?? this.previous.find(model, id);
  }

  async findByUid(model: string, uid: string): Promise<OidcArtifact | undefined> {
    return (await this.current.findByUid(model, uid)) ?? this.previous.findByUid(model, uid);
  }

  async findByUserCode(model: string, userCode: string): Promise<OidcArtifact | undefined> {
    return (await this.current.findByUserCode(model, userCode)) ?? this.previous.findByUserCode(model, userCode);
  }

  /**
   * Still exactly one winner: the one consumable model here, the refresh token, is written once (Tessera always
   * rotates it, so it is never saved again), so each id is in one store only.
   */
  async consume(model: string, id: string): Promise<ConsumeResult> {
    const result = await this.current.consume(model, id);
    return result === 'not-found' ? this.previous.consume(model, id) : result;
  }

  async destroy(model: string, id: string): Promise<void> {
    await Promise.all([this.current.destroy(model, id), this.previous.destroy(model, id)]);
  }

  async revokeByGrantId(model: string, grantId: string): Promise<void> {
    await Promise.all([this.current.revokeByGrantId(model, grantId), this.previous.revokeByGrantId(model, grantId)]);
  }

  async listByAccount(model: string, accountId: string): Promise<Array<{ id: string; payload: OidcArtifact }>> {
    const [current, previous] = await Promise.all([
      this.current.listByAccount(model, accountId),
      this.previous.listByAccount(model, accountId),
    ]);
    const inCurrent = new Set(current.map((entry) => entry.id));
    return [...current, ...previous.filter((entry) => !inCurrent.has(entry.id))];
  }
}
