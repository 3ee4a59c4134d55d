import { describe, expect, it } from '@jest/globals';
import { BoundedMap } from '../../src/shared/bounded-map.js';

describe('BoundedMap', () => {
  it('keeps at most its capacity, dropping an entry not read since it last came round', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1); // 'a' gets a second chance
    map.set('c', 3);
    expect(map.size).toBe(2);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
  });

  it('drops the oldest entry when every entry was read, and a spared one once it is no longer read', () => {
    const map = new BoundedMap<string, number>(3);
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3]] as const) map.set(key, value);
    for (const key of ['a', 'b', 'c']) map.get(key);
    map.set('d', 4); // all three were read: each loses its flag, then 'a', the oldest, goes
    expect([map.get('a'), map.size]).toEqual([undefined, 3]);
    map.set('e', 5); // 'b' and 'c' were spared once and not read since (the failed get of 'a' read nothing)
    expect(map.get('b')).toBeUndefined();
    expect([map.get('c'), map.get('d'), map.get('e')]).toEqual([3, 4, 5]);
  });

  it('replaces a value without growing, and refuses a capacity below one', () => {
    const map = new BoundedMap<string, number>(1);
    map.set('a', 1);
    map.set('a', 2);
    expect(map.size).toBe(1);
    expect(map.get('a')).toBe(2);
    expect(() => new BoundedMap(0)).toThrow(RangeError);
  });
});
