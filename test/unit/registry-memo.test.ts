import { describe, expect, it } from '@jest/globals';
import { RegistryMemo } from '../../src/oidc/registry-memo.js';

/** A registry version moved by hand, and a loader that counts its reads. */
type Rec = { name: string; uris: string[] };

function world(initial: Record<string, Rec | null>) {
  let version = 1;
  const records = { ...initial };
  let reads = 0;
  return {
    version: { current: () => version },
    change(id: string, record: Rec | null) {
      records[id] = record;
      version += 1;
    },
    load: (id: string) => async () => {
      reads += 1;
      return records[id] ?? null;
    },
    reads: () => reads,
  };
}

/** How the lookups use a memo: the kept value when fresh, else a read through the store. */
const lookup = <T extends object>(memo: RegistryMemo<T>, key: string, load: () => Promise<T | null>) =>
  memo.fresh(key) ?? memo.load(key, load);

describe('RegistryMemo', () => {
  it('reads a record once while the registry version stays the same', async () => {
    const registry = world({ a: { name: 'A', uris: ['https://a.example/cb'] } });
    const memo = new RegistryMemo<Rec>(registry.version);
    const first = await lookup(memo, 'a', registry.load('a'));
    const second = await lookup(memo, 'a', registry.load('a'));
    expect(second).toBe(first);
    expect(second).toEqual({ name: 'A', uris: ['https://a.example/cb'] });
    expect(registry.reads()).toBe(1);
  });

  it('reads again after any change to the registry, and serves the changed record', async () => {
    const registry = world({ a: { name: 'A', uris: [] }, b: { name: 'B', uris: [] } });
    const memo = new RegistryMemo<Rec>(registry.version);
    await lookup(memo, 'a', registry.load('a'));
    registry.change('b', { name: 'B2', uris: [] });
    expect(await lookup(memo, 'a', registry.load('a'))).toEqual({ name: 'A', uris: [] });
    expect(registry.reads()).toBe(2);
    registry.change('a', null);
    expect(await lookup(memo, 'a', registry.load('a'))).toBeNull();
  });

  it('keeps no miss, so made-up ids are read each time and cannot push real records out', async () => {
    const registry = world({ a: { name: 'A', uris: [] } });
    const memo = new RegistryMemo<Rec>(registry.version, 1);
    await lookup(memo, 'a', registry.load('a'));
    for (const id of ['x', 'y', 'z']) expect(await lookup(memo, id, registry.load(id))).toBeNull();
    await lookup(memo, 'a', registry.load('a'));
    expect(registry.reads()).toBe(4);
  });

  it('keeps nothing without a version (a registry in MongoDB)', async () => {
    const registry = world({ a: { name: 'A', uris: [] } });
    const memo = new RegistryMemo<Rec>(undefined);
    await lookup(memo, 'a', registry.load('a'));
    await lookup(memo, 'a', registry.load('a'));
    expect(registry.reads()).toBe(2);
  });

  it('hands out frozen records, so one request cannot change what the next one sees', async () => {
    const registry = world({ a: { name: 'A', uris: ['https://a.example/cb'] } });
    const memo = new RegistryMemo<Rec>(registry.version);
    const record = (await lookup(memo, 'a', registry.load('a')))!;
    expect(() => {
      record.name = 'changed';
    }).toThrow(TypeError);
    expect(() => record.uris.push('https://evil.example/cb')).toThrow(TypeError);
    expect(await lookup(memo, 'a', registry.load('a'))).toEqual({ name: 'A', uris: ['https://a.example/cb'] });
  });

  it('does not trust a record loaded while the registry changed', async () => {
    const registry = world({ a: { name: 'A', uris: [] } });
    const memo = new RegistryMemo<Rec>(registry.version);
    // The change lands between reading the version and the load finishing: the entry keeps the older version.
    await lookup(memo, 'a', async () => {
      const loaded = await registry.load('a')();
      registry.change('a', { name: 'A2', uris: [] });
      return loaded;
    });
    expect(await lookup(memo, 'a', registry.load('a'))).toEqual({ name: 'A2', uris: [] });
  });
});
