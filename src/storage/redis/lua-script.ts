import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script, run atomically by Redis: nothing else executes between its commands. Sent by SHA1 (EVALSHA) so
 * the source crosses the wire once per server; a server that does not know it yet (fresh start, failover, another
 * Cluster node) answers NOSCRIPT and gets the full source once (EVAL), which also caches it there.
 *
 * Every script in this adapter touches only the key(s) it is given in KEYS, as Redis Cluster requires.
 */
export class LuaScript {
  private readonly sha1: string;

  constructor(private readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }

  /** Not async: it sends every token write, and an async wrapper would add two promises to each. */
  run(client: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    return client.evalsha(this.sha1, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, keys.length, ...keys, ...args);
    });
  }
}
