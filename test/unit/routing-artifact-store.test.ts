import { describe, expect, it } from '@jest/globals';
import { LONG_LIVED_MODELS, RoutingArtifactStore } from '../../src/storage/routing-artifact-store.js';
import { describeArtifactStoreContract } from '../contract/artifact-store.contract.js';
import { InMemoryArtifactStore } from './support/in-memory-artifact-store.js';

function routed() {
  const longLived = new InMemoryArtifactStore();
  const shortLived = new InMemoryArtifactStore();
  return { longLived, shortLived, store: new RoutingArtifactStore(longLived, shortLived) };
}

const ids = (entries: Array<{ id: string }>) => entries.map((entry) => entry.id).sort();

describe('RoutingArtifactStore', () => {
  it('sends grants, their companies, refresh tokens and registration access tokens to the long-lived store, everything else to the short-lived one', async () => {
    const { longLived, shortLived, store } = routed();
    expect([...LONG_LIVED_MODELS].sort()).toEqual(['Grant', 'GrantCompany', 'RefreshToken', 'RegistrationAccessToken']);
    await store.upsert('Grant', 'g1', { accountId: 'a1' }, 60);
    await store.upsert('RefreshToken', 'r1', { grantId: 'g1' }, 60);
    for (const model of ['Session', 'Interaction', 'AccessToken', 'AuthorizationCode', 'DeviceCode', 'PasswordReset']) {
      await store.upsert(model, `${model}-1`, { grantId: 'g1' }, 60);
    }
    expect(ids(longLived.dump('Grant'))).toEqual(['g1']);
    expect(ids(longLived.dump('RefreshToken'))).toEqual(['r1']);
    expect(shortLived.dump('Grant')).toEqual([]);
    expect(shortLived.dump('RefreshToken')).toEqual([]);
    expect(ids(shortLived.dump('Session'))).toEqual(['Session-1']);
    expect(ids(shortLived.dump('AuthorizationCode'))).toEqual(['AuthorizationCode-1']);
    expect(longLived.dump('Session')).toEqual([]);
  });

  it('routes every lookup and change by its model', async () => {
    const { longLived, shortLived, store } = routed();
    await longLived.upsert('RefreshToken', 'same-id', { grantId: 'g', uid: 'u', userCode: 'UC', accountId: 'a' }, 60);
    await longLived.upsert('Grant', 'same-id', { accountId: 'a' }, 60);
    await shortLived.upsert('Session', 'same-id', { grantId: 'g', uid: 'u', userCode: 'UC', accountId: 'a' }, 60);
    await shortLived.upsert('AuthorizationCode', 'same-id', { grantId: 'g' }, 60);
    await shortLived.upsert('AccessToken', 'at', { grantId: 'g' }, 60);

    expect(await store.find('RefreshToken', 'same-id')).toMatchObject({ grantId: 'g' });
    expect(await store.findByUid('RefreshToken', 'u')).toBeDefined();
    expect(await store.findByUserCode('Session', 'UC')).toBeDefined();
    expect(ids(await store.listByAccount('Grant', 'a'))).toEqual(['same-id']);
    expect(ids(await store.listByAccount('Session', 'a'))).toEqual(['same-id']);

    expect(await store.consume('RefreshToken', 'same-id')).toBe('consumed');
    expect(await shortLived.consume('AuthorizationCode', 'same-id')).toBe('consumed');
    expect(await store.consume('AuthorizationCode', 'same-id')).toBe('already-consumed');

    await store.revokeByGrantId('AccessToken', 'g');
    expect(await shortLived.find('AccessToken', 'at')).toBeUndefined();
    expect(await longLived.find('RefreshToken', 'same-id')).toBeDefined();

    await store.destroy('RefreshToken', 'same-id');
    expect(await longLived.find('RefreshToken', 'same-id')).toBeUndefined();
    expect(await shortLived.find('Session', 'same-id')).toBeDefined();
  });

  it('accepts another set of long-lived models', async () => {
    const longLived = new InMemoryArtifactStore();
    const shortLived = new InMemoryArtifactStore();
    const store = new RoutingArtifactStore(longLived, shortLived, new Set(['RegistrationAccessToken']));
    await store.upsert('RegistrationAccessToken', 'rat', {}, 0);
    await store.upsert('Grant', 'g', {}, 60);
    expect(ids(longLived.dump('RegistrationAccessToken'))).toEqual(['rat']);
    expect(ids(shortLived.dump('Grant'))).toEqual(['g']);
  });
});

// Over two conforming stores, the router conforms too (the suite mixes Grant with Session on purpose).
describeArtifactStoreContract('routing over two in-memory stores', async () => ({
  store: routed().store,
  close: async () => {},
}));
