import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeArtifactStoreContract } from './artifact-store.contract.js';
import { describeSecurityCountersContract } from './security-counters.contract.js';
import { openIsolatedRedisStores, testRedisUrl } from './support/redis.js';

// Against the real redis-server that scripts/test.sh starts; each harness has its own key prefix.
async function openRedis() {
  const stores = await openIsolatedRedisStores();
  return { store: stores.artifacts, counters: stores.counters, close: () => stores.close() };
}

describeArtifactStoreContract('redis', openRedis);
describeSecurityCountersContract('redis', openRedis);

/** What the contract cannot see: how the adapter uses Redis itself (TTLs of keys and of their indexes). */
describe('Redis artifact store internals', () => {
  const admin = new Redis(testRedisUrl());
  const opened: Array<Awaited<ReturnType<typeof openIsolatedRedisStores>>> = [];
  afterAll(async () => {
    for (const each of opened) await each.close();
    await admin.quit();
  });
  const open = async () => {
    const stores = await openIsolatedRedisStores();
    opened.push(stores);
    return stores;
  };

  it('expires artifacts with their TTL and keeps indexes at least as long', async () => {
    const { artifacts, keyPrefix } = await open();
    const [id, grantId, accountId, uid] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await artifacts.upsert('Session', id, { grantId, accountId, uid }, 120);
    const artifactTtl = await admin.pttl(`${keyPrefix}artifact:Session:${id}`);
    expect(artifactTtl).toBeGreaterThan(110_000);
    expect(artifactTtl).toBeLessThanOrEqual(120_000);
    for (const index of [`grant:Session:${grantId}`, `account:Session:${accountId}`, `uid:Session:${uid}`]) {
      expect(await admin.pttl(`${keyPrefix}${index}`)).toBeGreaterThanOrEqual(artifactTtl);
    }
  });

  it('indexes by account only the models listed by account, to save memory per session', async () => {
    const { artifacts, keyPrefix } = await open();
    const [session, accountId] = [randomUUID(), randomUUID()];
    await artifacts.upsert('Session', session, { accountId }, 60);
    await artifacts.upsert('SessionActivity', randomUUID(), { accountId }, 60);
    await artifacts.upsert('AccessToken', randomUUID(), { accountId }, 60);
    expect(await admin.exists(`${keyPrefix}account:Session:${accountId}`)).toBe(1);
    expect(await admin.exists(`${keyPrefix}account:SessionActivity:${accountId}`, `${keyPrefix}account:AccessToken:${accountId}`)).toBe(0);
    expect((await artifacts.listByAccount('Session', accountId)).map((entry) => entry.id)).toEqual([session]);
    await expect(artifacts.listByAccount('AccessToken', accountId)).rejects.toThrow('not indexed by account');
  });

  it('never shortens an index set below its longest-lived member', async () => {
    const { artifacts, keyPrefix } = await open();
    const grantId = randomUUID();
    await artifacts.upsert('AccessToken', randomUUID(), { grantId }, 3600);
    await artifacts.upsert('AccessToken', randomUUID(), { grantId }, 60);
    expect(await admin.pttl(`${keyPrefix}grant:AccessToken:${grantId}`)).toBeGreaterThan(3_500_000);
  });

  it('keeps an artifact saved without a lifetime, and its indexes, with no expiry', async () => {
    const { artifacts, keyPrefix } = await open();
    const [id, accountId, uid] = [randomUUID(), randomUUID(), randomUUID()];
    await artifacts.upsert('Grant', id, { accountId, uid }, 0);
    await artifacts.upsert('Grant', randomUUID(), { accountId }, 60);
    for (const key of [`artifact:Grant:${id}`, `account:Grant:${accountId}`, `uid:Grant:${uid}`]) {
      expect(await admin.pttl(`${keyPrefix}${key}`)).toBe(-1);
    }
  });

  it('drops expired members from an index as new ones arrive, so a busy grant does not grow its index', async () => {
    const { artifacts, keyPrefix } = await open();
    const grantId = randomUUID();
    await artifacts.upsert('AccessToken', randomUUID(), { grantId }, 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const live = randomUUID();
    await artifacts.upsert('AccessToken', live, { grantId }, 60);
    expect(await admin.zrange(`${keyPrefix}grant:AccessToken:${grantId}`, 0, -1)).toEqual([live]);
  });

  it('writes an artifact as one string of its JSON, marked in place when consumed, with its TTL kept', async () => {
    const { artifacts, keyPrefix } = await open();
    const [token, code] = [randomUUID(), randomUUID()];
    await artifacts.upsert('AccessToken', token, { scope: 'openid' }, 60);
    expect(await admin.type(`${keyPrefix}artifact:AccessToken:${token}`)).toBe('string');
    expect(await admin.get(`${keyPrefix}artifact:AccessToken:${token}`)).toBe('{"scope":"openid"}');
    await artifacts.upsert('AuthorizationCode', code, { grantId: 'g' }, 60);
    expect(await artifacts.consume('AuthorizationCode', code)).toBe('consumed');
    expect(await admin.get(`${keyPrefix}artifact:AuthorizationCode:${code}`)).toMatch(/^\d{13}:\{"grantId":"g"\}$/);
    expect(await admin.pttl(`${keyPrefix}artifact:AuthorizationCode:${code}`)).toBeGreaterThan(50_000);
  });

  it('still reads, consumes and replaces artifacts stored as hashes before artifacts were strings', async () => {
    const { artifacts, keyPrefix } = await open();
    const [code, refresh, token] = [randomUUID(), randomUUID(), randomUUID()];
    const legacy = async (model: string, id: string, fields: Record<string, string>) => {
      await admin.hset(`${keyPrefix}artifact:${model}:${id}`, fields);
      await admin.pexpire(`${keyPrefix}artifact:${model}:${id}`, 60_000);
    };
    await legacy('AuthorizationCode', code, { payload: '{"grantId":"g1"}' });
    await legacy('RefreshToken', refresh, { payload: '{"grantId":"g2"}', consumed: '1764770000000' });
    await legacy('AccessToken', token, { payload: '{"grantId":"g3"}' });

    expect(await artifacts.find('AuthorizationCode', code)).toEqual({ grantId: 'g1' });
    expect(await artifacts.find('RefreshToken', refresh)).toEqual({ grantId: 'g2', consumed: 1764770000 });
    expect(await artifacts.consume('AuthorizationCode', code)).toBe('consumed');
    expect(await artifacts.consume('AuthorizationCode', code)).toBe('already-consumed');
    expect(await artifacts.consume('RefreshToken', refresh)).toBe('already-consumed');

    // Saved again, each becomes a string; the refresh token's mark comes along.
    await artifacts.upsert('RefreshToken', refresh, { grantId: 'g2', rotated: true }, 60);
    await artifacts.upsert('AccessToken', token, { grantId: 'g3', again: true }, 60);
    expect(await admin.type(`${keyPrefix}artifact:RefreshToken:${refresh}`)).toBe('string');
    expect(await artifacts.find('RefreshToken', refresh)).toEqual({ grantId: 'g2', rotated: true, consumed: 1764770000 });
    expect(await artifacts.consume('RefreshToken', refresh)).toBe('already-consumed');
    expect(await artifacts.find('AccessToken', token)).toEqual({ grantId: 'g3', again: true });
  });

  it('prunes index members whose artifact is gone', async () => {
    const { artifacts, keyPrefix } = await open();
    const accountId = randomUUID();
    const [kept, destroyed] = [randomUUID(), randomUUID()];
    await artifacts.upsert('Session', kept, { accountId }, 60);
    await artifacts.upsert('Session', destroyed, { accountId }, 60);
    await artifacts.destroy('Session', destroyed);
    expect((await artifacts.listByAccount('Session', accountId)).map((entry) => entry.id)).toEqual([kept]);
    expect(await admin.zrange(`${keyPrefix}account:Session:${accountId}`, 0, -1)).toEqual([kept]);
  });
});
