import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Redis } from 'ioredis';
import * as oidc from 'openid-client';
import { openRedisStores, type RedisStores } from '../../src/storage/redis/index.js';
import { quietLog } from '../contract/support/redis.js';
import { seedWorld, type World } from '../support/fixtures.js';
import { PrivateRedisServer } from '../support/private-redis-server.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const PREFIX = 'long-lived:';
const MOVED_MODELS = ['Grant', 'RefreshToken', 'GrantCompany'];

interface ArtifactRow {
  model: string;
  id: string;
  payload: string;
  expires_at: number | null;
}

/**
 * With Redis and no MongoDB, grants and refresh tokens live in the SQLite file, as they live in MongoDB in the
 * production topology: Redis may run without persistence. Earlier versions kept them in Redis, and a refresh token
 * issued then must keep working after the upgrade.
 */
describe('long-lived artifacts on Redis + SQLite', () => {
  let redis: PrivateRedisServer;
  let client: Redis;
  let earlierVersion: RedisStores;
  let server: TestServer;
  let world: World;
  let db: DatabaseSync;

  beforeAll(async () => {
    redis = await PrivateRedisServer.reserve();
    await redis.start();
    client = new Redis(redis.url);
    // The Redis stores as an earlier version wrote them, under the server's own key prefix.
    earlierVersion = await openRedisStores(redis.url, { log: quietLog, keyPrefix: PREFIX });
    server = await startTestServer({ env: { REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX } });
    world = await seedWorld(server.tessera);
    db = new DatabaseSync(path.join(server.dataDir, 'tessera.db'));
  });
  afterAll(async () => {
    db.close();
    await server.destroy();
    await earlierVersion.close();
    client.disconnect();
    await redis.stop();
  });

  const redisModels = async () => {
    const keys = await client.keys(`${PREFIX}artifact:*`);
    return new Set(keys.map((key) => key.slice(`${PREFIX}artifact:`.length).split(':')[0]));
  };
  const rowsOfGrant = (grantId: string): ArtifactRow[] =>
    db
      .prepare(`SELECT model, id, payload, expires_at FROM oidc_artifacts WHERE ((model = 'Grant' OR model = 'GrantCompany') AND id = ?) OR (model = 'RefreshToken' AND grant_id = ?)`)
      .all(grantId, grantId) as unknown as ArtifactRow[];
  const grantIdOf = (refreshToken: string) => {
    const row = db.prepare(`SELECT grant_id FROM oidc_artifacts WHERE model = 'RefreshToken' AND id = ?`).get(refreshToken);
    expect(row).toBeDefined();
    return (row as { grant_id: string }).grant_id;
  };

  it('keeps grants, refresh tokens and the grant company in the SQLite file, access tokens and sessions in Redis', async () => {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world);
    expect(tokens.refresh_token).toBeDefined();

    const grantId = grantIdOf(tokens.refresh_token!);
    expect(rowsOfGrant(grantId).map((row) => row.model).sort()).toEqual(['Grant', 'GrantCompany', 'RefreshToken']);
    const inRedis = await redisModels();
    expect(inRedis.has('AccessToken')).toBe(true);
    expect(inRedis.has('Session')).toBe(true);
    for (const model of MOVED_MODELS) expect(inRedis.has(model)).toBe(false);

    const refreshed = await oidc.refreshTokenGrant(web, tokens.refresh_token!);
    expect(refreshed.claims()?.sub).toBe(world.accountId);
    for (const model of MOVED_MODELS) expect((await redisModels()).has(model)).toBe(false);
  });

  it('still refreshes a refresh token that an earlier version kept in Redis, and revokes its grant in both stores on reuse', async () => {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world);
    const grantId = grantIdOf(tokens.refresh_token!);
    // Where an earlier version had written them: move the grant's rows from the file to Redis.
    const rows = rowsOfGrant(grantId);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const ttlSeconds = row.expires_at === null ? 0 : Math.ceil((row.expires_at - Date.now()) / 1000);
      await earlierVersion.artifacts.upsert(row.model, row.id, JSON.parse(row.payload), ttlSeconds);
      db.prepare('DELETE FROM oidc_artifacts WHERE model = ? AND id = ?').run(row.model, row.id);
    }
    expect(rowsOfGrant(grantId)).toHaveLength(0);

    const refreshed = await oidc.refreshTokenGrant(web, tokens.refresh_token!);
    expect(refreshed.claims()?.sub).toBe(world.accountId);
    // The rotated token is written where refresh tokens live now; the one it replaced is consumed in Redis.
    const rotated = rowsOfGrant(grantId).filter((row) => row.model === 'RefreshToken');
    expect(rotated).toHaveLength(1);
    const earlierToken = rows.find((row) => row.model === 'RefreshToken')!;
    expect(await client.get(`${PREFIX}artifact:RefreshToken:${earlierToken.id}`)).toMatch(/^\d+:\{/);

    // Presenting the consumed token again is reuse: the whole grant goes, in Redis and in the file.
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(web, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await client.exists(`${PREFIX}artifact:Grant:${grantId}`)).toBe(0);
    expect(rowsOfGrant(grantId).filter((row) => row.model !== 'GrantCompany')).toHaveLength(0);
  });
});
