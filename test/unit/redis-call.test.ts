import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { redisCall } from '../../src/storage/redis/client.js';
import { LuaScript } from '../../src/storage/redis/lua-script.js';
import { DependencyUnavailableError } from '../../src/shared/errors.js';

describe('redisCall', () => {
  it('passes a reply through untouched', async () => {
    await expect(redisCall(() => Promise.resolve(['a', null]))).resolves.toEqual(['a', null]);
  });

  it('reports a failed reply, and work that throws before sending, as Redis being unavailable', async () => {
    const refused = new Error('connect ECONNREFUSED');
    const failed = redisCall(() => Promise.reject(refused));
    await expect(failed).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(failed).rejects.toMatchObject({ dependency: 'redis', cause: refused });

    const thrown = redisCall(() => {
      throw new TypeError('Do not know how to serialize a BigInt');
    });
    await expect(thrown).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});

describe('LuaScript', () => {
  /** A client that knows no script until it has been sent one in full, as Redis after a restart. */
  function scriptCache() {
    const known = new Set<string>();
    const sent: string[] = [];
    const client = {
      evalsha: (sha: string, ...rest: unknown[]) => {
        sent.push('evalsha');
        return known.has(sha) ? Promise.resolve(rest) : Promise.reject(new Error('NOSCRIPT No matching script.'));
      },
      eval: (source: string, ...rest: unknown[]) => {
        sent.push('eval');
        known.add(createHash('sha1').update(source).digest('hex'));
        return Promise.resolve(rest);
      },
    };
    return { client: client as unknown as Redis, sent };
  }

  it('sends the source once when Redis does not know the script, then only its SHA1', async () => {
    const { client, sent } = scriptCache();
    const script = new LuaScript('return ARGV[1]');
    await expect(script.run(client, ['k'], ['v'])).resolves.toEqual([1, 'k', 'v']);
    await expect(script.run(client, ['k'], [2])).resolves.toEqual([1, 'k', 2]);
    expect(sent).toEqual(['evalsha', 'eval', 'evalsha']);
  });

  it('passes on any other error without resending', async () => {
    const client = { evalsha: () => Promise.reject(new Error('READONLY')), eval: () => Promise.resolve('no') };
    await expect(new LuaScript('return 1').run(client as unknown as Redis, [], [])).rejects.toThrow('READONLY');
  });
});
