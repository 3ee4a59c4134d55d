import { describe, expect, it } from '@jest/globals';
import { MovedArtifactStore } from '../../src/storage/moved-artifact-store.js';
import { describeArtifactStoreContract } from '../contract/artifact-store.contract.js';
import { InMemoryArtifactStore } from './support/in-memory-artifact-store.js';

function moved() {
  const current = new InMemoryArtifactStore();
  const previous = new InMemoryArtifactStore();
  return { current, previous, store: new MovedArtifactStore(current, previous) };
}

const ids = (entries: Array<{ id: string }>) => entries.map((entry) => entry.id).sort();

describe('MovedArtifactStore', () => {
  it('writes to the current store only', async () => {
    const { current, previous, store } = moved();
    await store.upsert('Grant', 'g1', { accountId: 'a' }, 60);
    expect(ids(current.dump('Grant'))).toEqual(['g1']);
    expect(previous.dump('Grant')).toEqual([]);
  });

  it('finds what the previous store still holds, the current copy winning', async () => {
    const { current, previous, store } = moved();
    await previous.upsert('RefreshToken', 'old', { grantId: 'g', uid: 'u-old', userCode: 'OLD' }, 60);
    await previous.upsert('Grant', 'g', { accountId: 'a', version: 1 }, 60);
    await current.upsert('Grant', 'g', { accountId: 'a', version: 2 }, 60);

    expect(await store.find('RefreshToken', 'old')).toMatchObject({ grantId: 'g' });
    expect(await store.findByUid('RefreshToken', 'u-old')).toMatchObject({ grantId: 'g' });
    expect(await store.findByUserCode('RefreshToken', 'OLD')).toMatchObject({ grantId: 'g' });
    expect(await store.find('Grant', 'g')).toMatchObject({ version: 2 });
    expect(await store.find('Grant', 'nowhere')).toBeUndefined();
  });

  it('consumes a token where it is, once', async () => {
    const { current, previous, store } = moved();
    await previous.upsert('RefreshToken', 'old', { grantId: 'g' }, 60);
    await current.upsert('RefreshToken', 'new', { grantId: 'g' }, 60);

    expect(await Promise.all([store.consume('RefreshToken', 'old'), store.consume('RefreshToken', 'old')])).toEqual(
      expect.arrayContaining(['consumed', 'already-consumed']),
    );
    expect(await previous.find('RefreshToken', 'old')).toHaveProperty('consumed');
    expect(await store.consume('RefreshToken', 'new')).toBe('consumed');
    expect(await previous.find('RefreshToken', 'new')).toBeUndefined();
    expect(await store.consume('RefreshToken', 'nowhere')).toBe('not-found');
  });

  it('destroys and revokes in both stores', async () => {
    const { current, previous, store } = moved();
    await previous.upsert('Grant', 'g', { accountId: 'a' }, 60);
    await current.upsert('Grant', 'g', { accountId: 'a' }, 60);
    await previous.upsert('RefreshToken', 'old', { grantId: 'g' }, 60);
    await current.upsert('RefreshToken', 'new', { grantId: 'g' }, 60);
    await current.upsert('RefreshToken', 'other', { grantId: 'h' }, 60);

    await store.revokeByGrantId('RefreshToken', 'g');
    expect(await store.find('RefreshToken', 'old')).toBeUndefined();
    expect(await store.find('RefreshToken', 'new')).toBeUndefined();
    expect(await store.find('RefreshToken', 'other')).toBeDefined();

    await store.destroy('Grant', 'g');
    expect(await store.find('Grant', 'g')).toBeUndefined();
    expect(previous.dump('Grant')).toEqual([]);
  });

  it('lists an account’s artifacts from both stores, each id once', async () => {
    const { current, previous, store } = moved();
    await previous.upsert('Grant', 'g-old', { accountId: 'a' }, 60);
    await previous.upsert('Grant', 'g-both', { accountId: 'a', version: 1 }, 60);
    await current.upsert('Grant', 'g-both', { accountId: 'a', version: 2 }, 60);
    await current.upsert('Grant', 'g-new', { accountId: 'a' }, 60);
    await current.upsert('Grant', 'g-else', { accountId: 'b' }, 60);

    const listed = await store.listByAccount('Grant', 'a');
    expect(ids(listed)).toEqual(['g-both', 'g-new', 'g-old']);
    expect(listed.find((entry) => entry.id === 'g-both')?.payload).toMatchObject({ version: 2 });
  });
});

// Over two conforming stores, the wrapper conforms too.
describeArtifactStoreContract('moved over two in-memory stores', async () => ({
  store: moved().store,
  close: async () => {},
}));
