import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { NotConsumableError, NotListedByAccountError, type OidcArtifactStore } from '../../src/storage/ports.js';

export interface ArtifactStoreHarness {
  store: OidcArtifactStore;
  close(): Promise<void>;
}

/** The behaviour every OidcArtifactStore adapter must show. */
export function describeArtifactStoreContract(adapter: string, open: () => Promise<ArtifactStoreHarness>): void {
  describe(`OidcArtifactStore contract: ${adapter}`, () => {
    let harness: ArtifactStoreHarness;
    let store: OidcArtifactStore;
    const opened: ArtifactStoreHarness[] = [];

    beforeEach(async () => {
      harness = await open();
      opened.push(harness);
      store = harness.store;
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
    });

    it('stores, finds and replaces a payload', async () => {
      const id = randomUUID();
      await store.upsert('Session', id, { accountId: 'a1', uid: 'u1', nested: { x: [1, 2] } }, 60);
      expect(await store.find('Session', id)).toEqual({ accountId: 'a1', uid: 'u1', nested: { x: [1, 2] } });
      await store.upsert('Session', id, { accountId: 'a1', uid: 'u2' }, 60);
      expect(await store.find('Session', id)).toEqual({ accountId: 'a1', uid: 'u2' });
      expect(await store.findByUid('Session', 'u2')).toEqual({ accountId: 'a1', uid: 'u2' });
      expect(await store.findByUid('Session', 'u1')).toBeUndefined();
    });

    it('keeps models apart', async () => {
      const id = randomUUID();
      await store.upsert('AccessToken', id, { kind: 'AccessToken' }, 60);
      expect(await store.find('RefreshToken', id)).toBeUndefined();
      expect(await store.find('AccessToken', id)).toEqual({ kind: 'AccessToken' });
    });

    it('finds by user code', async () => {
      const id = randomUUID();
      const userCode = `UC-${id.slice(0, 8)}`;
      await store.upsert('DeviceCode', id, { userCode, grantId: 'g' }, 60);
      expect(await store.findByUserCode('DeviceCode', userCode)).toEqual({ userCode, grantId: 'g' });
      expect(await store.findByUserCode('DeviceCode', 'nope')).toBeUndefined();
    });

    it('forgets artifacts when they expire', async () => {
      const id = randomUUID();
      await store.upsert('AuthorizationCode', id, { grantId: 'g', uid: `exp-${id}` }, 1);
      expect(await store.find('AuthorizationCode', id)).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await store.find('AuthorizationCode', id)).toBeUndefined();
      expect(await store.findByUid('AuthorizationCode', `exp-${id}`)).toBeUndefined();
      expect(await store.consume('AuthorizationCode', id)).toBe('not-found');
    });

    it('consumes once and shows the consumed time', async () => {
      const id = randomUUID();
      await store.upsert('AuthorizationCode', id, { grantId: 'g1' }, 60);
      expect(await store.consume('AuthorizationCode', id)).toBe('consumed');
      expect(await store.consume('AuthorizationCode', id)).toBe('already-consumed');
      const found = await store.find('AuthorizationCode', id);
      expect(found?.grantId).toBe('g1');
      expect(typeof found?.consumed).toBe('number');
      expect(await store.consume('AuthorizationCode', randomUUID())).toBe('not-found');
    });

    it('keeps the consumed mark when an artifact is saved again', async () => {
      const id = randomUUID();
      await store.upsert('RefreshToken', id, { grantId: 'g' }, 60);
      expect(await store.consume('RefreshToken', id)).toBe('consumed');
      await store.upsert('RefreshToken', id, { grantId: 'g', rotated: true }, 60);
      expect(await store.consume('RefreshToken', id)).toBe('already-consumed');
      expect(await store.find('RefreshToken', id)).toEqual({ grantId: 'g', rotated: true, consumed: expect.any(Number) });
    });

    it('lets exactly one of twenty concurrent consumers win', async () => {
      const id = randomUUID();
      await store.upsert('AuthorizationCode', id, { grantId: 'g2' }, 60);
      const results = await Promise.all(Array.from({ length: 20 }, () => store.consume('AuthorizationCode', id)));
      expect(results.filter((result) => result === 'consumed')).toHaveLength(1);
      expect(results.filter((result) => result === 'already-consumed')).toHaveLength(19);
    });

    it('destroys one artifact', async () => {
      const id = randomUUID();
      await store.upsert('AccessToken', id, { grantId: 'g' }, 60);
      await store.destroy('AccessToken', id);
      expect(await store.find('AccessToken', id)).toBeUndefined();
      await expect(store.destroy('AccessToken', id)).resolves.toBeUndefined();
    });

    it('revokes by grant within one model only', async () => {
      const grantId = randomUUID();
      const [a, b, other, refresh] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await store.upsert('AccessToken', a, { grantId }, 60);
      await store.upsert('AccessToken', b, { grantId }, 60);
      await store.upsert('AccessToken', other, { grantId: randomUUID() }, 60);
      await store.upsert('RefreshToken', refresh, { grantId }, 60);
      await store.revokeByGrantId('AccessToken', grantId);
      expect(await store.find('AccessToken', a)).toBeUndefined();
      expect(await store.find('AccessToken', b)).toBeUndefined();
      expect(await store.find('AccessToken', other)).toBeDefined();
      expect(await store.find('RefreshToken', refresh)).toBeDefined();
    });

    it('lists the live artifacts of one account', async () => {
      const accountId = randomUUID();
      const [first, second] = [randomUUID(), randomUUID()];
      await store.upsert('Session', first, { accountId, uid: randomUUID() }, 60);
      await store.upsert('Session', second, { accountId, uid: randomUUID() }, 60);
      await store.upsert('Session', randomUUID(), { accountId: randomUUID() }, 60);
      await store.upsert('Grant', randomUUID(), { accountId }, 60);
      const listed = await store.listByAccount('Session', accountId);
      expect(listed.map((entry) => entry.id).sort()).toEqual([first, second].sort());
      await store.destroy('Session', first);
      expect((await store.listByAccount('Session', accountId)).map((entry) => entry.id)).toEqual([second]);
    });

    it('refuses to list by account a model that is not indexed by account', async () => {
      const [accountId, token] = [randomUUID(), randomUUID()];
      await store.upsert('AccessToken', token, { accountId }, 60);
      await expect(store.listByAccount('AccessToken', accountId)).rejects.toThrow(NotListedByAccountError);
      // The token keeps its accountId and is found by id; the account's sessions are listed without it.
      expect(await store.find('AccessToken', token)).toMatchObject({ accountId });
      expect(await store.listByAccount('Session', accountId)).toEqual([]);
    });

    it('refuses to consume a model that is never consumed, and leaves the artifact as it was', async () => {
      const id = randomUUID();
      await store.upsert('AccessToken', id, { grantId: 'g' }, 60);
      await expect(store.consume('AccessToken', id)).rejects.toThrow(NotConsumableError);
      expect(await store.find('AccessToken', id)).toEqual({ grantId: 'g' });
    });
  });
}
