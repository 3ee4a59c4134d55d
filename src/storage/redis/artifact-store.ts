import type { Redis } from 'ioredis';
import {
  ACCOUNT_LISTED_MODELS,
  assertListedByAccount,
  type ConsumeResult,
  type OidcArtifact,
  type OidcArtifactStore,
} from '../ports.js';
import { redisCall } from './client.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';

/**
 * Index keys live this much longer than the artifact they point to. They are written a moment before the
 * artifact, so with an equal TTL they would expire a moment before it and leave it unfindable.
 */
const INDEX_GRACE_MS = 60_000;

/** Replaces the payload but keeps a `consumed` mark, as the SQL adapter's upsert does. TTL 0: never expires. */
const WRITE_ARTIFACT = new LuaScript(`
redis.call('HSET', KEYS[1], 'payload', ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('PERSIST', KEYS[1]) end
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

/** Check and mark in one step: of any number of concurrent calls, one sees HSETNX succeed. */
const CONSUME = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 'not-found' end
if redis.call('HSETNX', KEYS[1], 'consumed', ARGV[1]) == 1 then return 'consumed' end
return 'already-consumed'`);

interface Entry {
  id: string;
  payload: OidcArtifact;
}

/**
 * oidc-provider artifacts in Redis, each a hash that expires with the artifact. Secondary lookups go through
 * index keys (see keys.ts for the layout and why nothing here needs a hash tag). Indexes may go stale (an
 * artifact destroyed, expired or re-saved with another uid); every read through an index therefore loads the
 * artifact and checks it still carries the value looked up, and stale set members are pruned as they are seen.
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
      const artifact = WRITE_ARTIFACT.run(this.redis, [this.keys.artifact(model, id)], [JSON.stringify(payload), ttlMs]);
      // Most artifacts (a client's tokens) have no index: their write is the script's reply alone.
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

  consume(model: string, id: string): Promise<ConsumeResult> {
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

  private load(model: string, id: string): Promise<OidcArtifact | undefined> {
    return this.redis.hmget(this.keys.artifact(model, id), 'payload', 'consumed').then(toArtifact);
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
    return ttlMs > 0 ? this.redis.set(key, id, 'PX', ttlMs + INDEX_GRACE_MS) : this.redis.set(key, id);
  }

  private addToSet(key: string, id: string, ttlMs: number): Promise<unknown> {
    return ADD_TO_INDEX.run(this.redis, [key], [id, ttlMs, INDEX_GRACE_MS]);
  }
}

/** An artifact from its hash's `payload` and `consumed` fields (HMGET's reply); undefined when there is none. */
function toArtifact([payload, consumed]: Array<string | null>): OidcArtifact | undefined {
  if (payload === null || payload === undefined) return undefined;
  const artifact = JSON.parse(payload) as OidcArtifact;
  // oidc-provider reads `consumed` as a truthy epoch in seconds.
  return consumed ? { ...artifact, consumed: Math.floor(Number(consumed) / 1000) } : artifact;
}

function nothing(): void {}
