import type { Redis } from 'ioredis';
import type { FailureCount, SecurityCounters } from '../ports.js';
import { redisCall } from './client.js';
import type { RedisKeys } from './keys.js';
import { LuaScript } from './lua-script.js';

/** Count, time and TTL move together, so a concurrent reader never sees a count without its expiry. */
const RECORD_FAILURE = new LuaScript(`
local count = redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return count`);

/**
 * The window opens at its first hit and closes `windowSeconds` later (the same as the SQLite adapter).
 * PTTL -1 means the key has no expiry, i.e. INCRBY just created it; setting the TTL in the same script means a
 * crash can never leave a counter that blocks forever.
 */
const HIT = new LuaScript(`
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return hits`);

/** Lockout counters, rate-limit windows and one-time claims, shared by every instance. Each call is atomic. */
export class RedisSecurityCounters implements SecurityCounters {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  recordFailure(key: string, ttlSeconds: number, now: number): Promise<FailureCount> {
    return redisCall(() =>
      RECORD_FAILURE.run(this.redis, [this.keys.failures(key)], [now, milliseconds(ttlSeconds)]).then((count) => ({
        count: Number(count),
        lastFailureAt: now,
      })),
    );
  }

  readFailures(key: string): Promise<FailureCount | null> {
    return redisCall(async () => {
      const [count, last] = await this.redis.hmget(this.keys.failures(key), 'count', 'last');
      return count ? { count: Number(count), lastFailureAt: Number(last) } : null;
    });
  }

  clearFailures(key: string): Promise<void> {
    return redisCall(async () => void (await this.redis.del(this.keys.failures(key))));
  }

  hit(key: string, windowSeconds: number, by = 1): Promise<number> {
    return redisCall(() => HIT.run(this.redis, [this.keys.hits(key)], [milliseconds(windowSeconds), by]).then(Number));
  }

  claimOnce(key: string, ttlSeconds: number): Promise<boolean> {
    // SET NX succeeds for exactly one caller while the key lives; PX makes the claim expire on its own.
    return redisCall(async () => {
      const reply = await this.redis.set(this.keys.claim(key), '1', 'PX', milliseconds(ttlSeconds), 'NX');
      return reply === 'OK';
    });
  }
}

/** At least 1 ms: a zero or negative TTL would make Redis delete the key at once (or refuse the command). */
function milliseconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds * 1000));
}
