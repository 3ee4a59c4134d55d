import { describe, expect, it } from '@jest/globals';
// @ts-expect-error: the benchmark harness is plain JavaScript without type declarations.
import { inRoundOrder } from '../../bench/lib/common.mjs';

/** The benchmark alternates the servers' order between rounds, so no server always runs right after the same one. */
describe('benchmark round order', () => {
  it('runs the servers as given in even rounds and reversed in odd ones, without changing the list it was given', () => {
    const servers = ['baseline', 'tessera-redis', 'tessera-sqlite'];
    const order = (round: number) => (inRoundOrder(servers, round) as string[]).join(',');
    expect([0, 1, 2, 3].map(order)).toEqual([
      'baseline,tessera-redis,tessera-sqlite',
      'tessera-sqlite,tessera-redis,baseline',
      'baseline,tessera-redis,tessera-sqlite',
      'tessera-sqlite,tessera-redis,baseline',
    ]);
    expect(servers).toEqual(['baseline', 'tessera-redis', 'tessera-sqlite']);
  });
});
