import type { Redis } from 'ioredis';
import {
  ACCOUNT_LISTED_MODELS,
  assertConsumable,
  assertListedByAccount,
  type ConsumeResult,
  type OidcArtifact,
  type OidcArtifactStore,
  NEVER_CONSUMED_MODELS,
} from '../ports.js';
import { decodeArtifact, encodeArtifact, fromLegacyHash } from './artifact-value.js';
import { redisCall } from './client.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';

/**
 * Index keys live this much longer than the artifact they point to. They are written a moment before the
 * artifact, so with an equal TTL they would expire a moment before it and leave it unfindable.
 */
const INDEX_GRACE_MS = 60_000;

/**
 * Replaces the value but keeps a consumed mark (artifact-value.ts), as the SQL adapter's upsert does, also from a
 * legacy hash. ARGV: the new value, TTL in ms (0: never expires; a SET without PX drops any earlier TTL).
 */
const WRITE_KEEPING_MARK = new LuaScript(`
local kind = redis.call('TYPE', KEYS[1]).ok
local mark = false
if kind == 'string' then mark = string.match(redis.call('GET', KEYS[1]), '^(%d+):')
elseif kind == 'hash' then mark = redis.call('HGET', KEYS[1], 'consumed') end
local value = mark and (mark .. ':' .. ARGV[1]) or ARGV[1]
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], value, 'PX', ARGV[2]) else redis.call('SET', KEYS[1], value) end
return 1`);

/**
 * Adds an id to an index, a sorted set scored by each member's expiry (epoch ms, '+inf' for never), and drops the
 * members already expired: without that, a busy grant or account that keeps adding tokens would keep its set alive
 * and growing forever. The set's own TTL follows its longest-lived member, plus the grace. Times come from the
 * Redis clock, the one artifact TTLs run on, so an app instance with a skewed clock cannot drop a live member.
 * ARGV: id, the member's TTL in ms (0: never expires), grace in ms.
 */
const ADD_TO_INDEX = new LuaScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
redis.call('ZADD', KEYS[1], ttl > 0 and string.format('%.0f', now + ttl) or '+inf', ARGV[1])
local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2]
if latest == 'inf' then redis.call('PERSIST', KEYS[1])
else redis.call('PEXPIRE', KEYS[1], string.format('%.0f', tonumber(latest) - now + tonumber(ARGV[3]))) end
return 1`);

/**
 * Check and mark in one step: of any number of concurrent calls, one finds the value unmarked (starting with `{`).
 * A legacy hash is marked with HSETNX, as before. ARGV: now in epoch ms.
 */
const CONSUME = new LuaScript(`
local kind = redis.call('TYPE', KEYS[1]).ok
if kind == 'none' then return 'not-found' end
if kind == 'hash' then
  if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1 then return 'consumed' end
  return 'already-consumed'
end
local value = redis.call('GET', KEYS[1])
if string.sub(value, 1, 1) ~= '{' then return 'already-consumed' end
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. value, 'KEEPTTL')
return 'consumed'`);

interface Entry {
  id: string;
  payload: OidcArtifact;
}

/**
 * oidc-provider artifacts in Redis, each a string (artifact-value.ts) that expires with the artifact. Secondary
 * lookups go through index keys (see keys.ts for the layout and why nothing here needs a hash tag). Indexes may go
 * stale (an artifact destroyed, expired or re-saved with another uid); every read through an index therefore loads
 * the artifact and checks it still carries the value looked up, and stale set members are pruned as they are seen.
 */
export class RedisArtifactStore implements OidcArtifactStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly now: () => number = Date.now,
  ) {}

  upsert(model: string, id: string, payload: OidcArtifact, expiresInSeconds: number): Promise<void> {
    const ttlMs = expiresInSeconds > 0 ? Math.ceil(expiresInSeconds * 1000) : 0;
    return redisCall(() => {
      // Indexes first: a crash in between leaves an index pointing at nothing (filtered on read), never an
      // artifact its index cannot find. The order is kept without waiting for each answer: the commands are
      // sent now, in this order, on the one connection, and Redis runs a connection's commands in the order
      // they arrive. So the whole write is one round trip instead of two (a refresh writes two artifacts, and
      // every round trip is a wait on a core the server shares). One exception: the first write after Redis
      // lost its script cache (restart, failover) re-sends a missing index script's source after the artifact
      // write has run; the index still lands a round trip later.
      const indexes = this.writeIndexes(model, id, payload, ttlMs);
      const artifact = this.writeArtifact(model, this.keys.artifact(model, id), encodeArtifact(payload), ttlMs);
      // Most artifacts (a client's tokens) have no index: their write is the one reply.
      return (indexes.length === 0 ? artifact : Promise.all([...indexes, artifact])).then(nothing);
    });
  }

  find(model: string, id: string): Promise<OidcArtifact | undefined> {
    return redisCall(() => this.load(model, id));
  }

  findByUid(model: string, uid: string): Promise<OidcArtifact | undefined> {
    return redisCall(() => this.findByPointer(model, this.keys.uid(model, uid), (payload) => payload.uid === uid));
  }

  findByUserCode(model: string, userCode: string): Promise<OidcArtifact | undefined> {
    const key = this.keys.userCode(model, userCode);
    return redisCall(() => this.findByPointer(model, key, (payload) => payload.userCode === userCode));
  }

  async consume(model: string, id: string): Promise<ConsumeResult> {
    assertConsumable(model);
    return redisCall(() => CONSUME.run(this.redis, [this.keys.artifact(model, id)], [this.now()]) as Promise<ConsumeResult>);
  }

  /** Deletes the artifact only: its index entries are stale from now on and pruned or expired later. */
  destroy(model: string, id: string): Promise<void> {
    return redisCall(async () => void (await this.redis.del(this.keys.artifact(model, id))));
  }

  revokeByGrantId(model: string, grantId: string): Promise<void> {
    const indexKey = this.keys.grant(model, grantId);
    return redisCall(async () => {
      const members = await this.liveMembers(model, indexKey, (payload) => payload.grantId === grantId);
      if (members.length === 0) return;
      // One DEL per key: a multi-key DEL would cross Cluster slots.
      await Promise.all(members.map((member) => this.redis.del(this.keys.artifact(model, member.id))));
      // Removes only what was revoked, so a token added to the grant meanwhile stays indexed.
      await this.redis.zrem(indexKey, ...members.map((member) => member.id));
    });
  }

  async listByAccount(model: string, accountId: string): Promise<Entry[]> {
    assertListedByAccount(model);
    const indexKey = this.keys.account(model, accountId);
    return redisCall(() => this.liveMembers(model, indexKey, (payload) => payload.accountId === accountId));
  }

  /**
   * A model that is never consumed has no mark to keep, so its write is one plain SET (which also replaces a legacy
   * hash); the others go through the script that carries the mark over.
   */
  private writeArtifact(model: string, key: string, value: string, ttlMs: number): Promise<unknown> {
    if (NEVER_CONSUMED_MODELS.has(model)) return this.setString(key, value, ttlMs);
    return WRITE_KEEPING_MARK.run(this.redis, [key], [value, ttlMs]);
  }

  private load(model: string, id: string): Promise<OidcArtifact | undefined> {
    const key = this.keys.artifact(model, id);
    return this.redis.get(key).then(decodeArtifact, (error: unknown) => {
      // Written as a hash before artifacts were strings; such keys go as they expire or are saved again.
      if (!(error instanceof Error && error.message.startsWith('WRONGTYPE'))) throw error;
      return this.redis.hmget(key, 'payload', 'consumed').then(fromLegacyHash);
    });
  }

  private async findByPointer(
    model: string,
    pointerKey: string,
    stillMatches: (payload: OidcArtifact) => boolean,
  ): Promise<OidcArtifact | undefined> {
    const id = await this.redis.get(pointerKey);
    if (id === null) return undefined;
    const artifact = await this.load(model, id);
    return artifact && stillMatches(artifact) ? artifact : undefined;
  }

  /** The members of an index whose artifact is alive and still matches; prunes the others. */
  private async liveMembers(
    model: string,
    indexKey: string,
    stillMatches: (payload: OidcArtifact) => boolean,
  ): Promise<Entry[]> {
    // Every member, expired or not: loading the artifact is what decides, and expired members get pruned here.
    const ids = await this.redis.zrange(indexKey, 0, -1);
    const live: Entry[] = [];
    const stale: string[] = [];
    await Promise.all(
      ids.map(async (id) => {
        const payload = await this.load(model, id);
        if (payload && stillMatches(payload)) live.push({ id, payload });
        else stale.push(id);
      }),
    );
    if (stale.length > 0) await this.redis.zrem(indexKey, ...stale);
    return live;
  }

  /** Index writes for whichever indexed fields the payload carries (oidc-provider may omit any of them), sent now. */
  private writeIndexes(model: string, id: string, payload: OidcArtifact, ttlMs: number): Array<Promise<unknown>> {
    const { keys } = this;
    const { uid, userCode, grantId, accountId } = payload;
    const writes: Array<Promise<unknown>> = [];
    if (typeof uid === 'string') writes.push(this.pointTo(keys.uid(model, uid), id, ttlMs));
    if (typeof userCode === 'string') writes.push(this.pointTo(keys.userCode(model, userCode), id, ttlMs));
    if (typeof grantId === 'string') writes.push(this.addToSet(keys.grant(model, grantId), id, ttlMs));
    if (typeof accountId === 'string' && ACCOUNT_LISTED_MODELS.has(model)) {
      writes.push(this.addToSet(keys.account(model, accountId), id, ttlMs));
    }
    return writes;
  }

  /** A single-valued index (uid, user code): the latest artifact to claim the value wins. */
  private pointTo(key: string, id: string, ttlMs: number): Promise<unknown> {
    return this.setString(key, id, ttlMs > 0 ? ttlMs + INDEX_GRACE_MS : 0);
  }

  /** TTL 0: never expires (a SET without PX also drops any TTL the key had). */
  private setString(key: string, value: string, ttlMs: number): Promise<unknown> {
    return ttlMs > 0 ? this.redis.set(key, value, 'PX', ttlMs) : this.redis.set(key, value);
  }

  private addToSet(key: string, id: string, ttlMs: number): Promise<unknown> {
    return ADD_TO_INDEX.run(this.redis, [key], [id, ttlMs, INDEX_GRACE_MS]);
  }
}

function nothing(): void {}
