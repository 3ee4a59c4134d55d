import { describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { createServer } from 'node:net';
import { ConflictError, DependencyUnavailableError } from '../../src/shared/errors.js';
import { createMongoStores } from '../../src/storage/mongo/index.js';
import { mongoCall } from '../../src/storage/mongo/errors.js';
import { defineModels } from '../../src/storage/mongo/models.js';

/**
 * What can be checked of the MongoDB adapter without a MongoDB server: how it types the driver's errors, that
 * the driver accepts its connection options and that start-up gives up cleanly, and the indexes it declares.
 * The adapter's behaviour against a real replica set is test/contract/mongo.test.ts (needs MONGODB_URI).
 */

const { mongo } = mongoose;
const fail = (error: unknown) => () => Promise.reject(error);

/** A loopback port nobody listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('MongoDB errors become domain errors', () => {
  it('turns a duplicate key into a conflict where the caller expects one', async () => {
    const duplicate = new mongo.MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' });
    await expect(mongoCall(fail(duplicate), 'taken')).rejects.toBeInstanceOf(ConflictError);
    await expect(mongoCall(fail(duplicate))).rejects.toBe(duplicate);
  });

  it.each([
    ['a network error', new mongo.MongoNetworkError('connection reset')],
    ['a network timeout', new mongo.MongoNetworkTimeoutError('timed out')],
    ['a primary that stepped down', new mongo.MongoServerError({ code: 189, errmsg: 'PrimarySteppedDown' })],
    ['a write to a former primary', new mongo.MongoServerError({ code: 10107, errmsg: 'not primary' })],
    ['a majority too slow to acknowledge', new mongo.MongoServerError({ code: 64, errmsg: 'waiting for replication' })],
    ['a closed client', new mongo.MongoTopologyClosedError()],
  ])('reports %s as MongoDB being unavailable', async (_, error) => {
    const rejection = await mongoCall(fail(error)).catch((caught: unknown) => caught);
    expect(rejection).toBeInstanceOf(DependencyUnavailableError);
    expect(rejection).toMatchObject({ dependency: 'mongodb', cause: error });
  });

  it('lets anything else through untouched', async () => {
    const badValue = new mongo.MongoServerError({ code: 2, errmsg: 'BadValue' });
    await expect(mongoCall(fail(badValue), 'taken')).rejects.toBe(badValue);
    const bug = new TypeError('x is undefined');
    await expect(mongoCall(fail(bug))).rejects.toBe(bug);
  });
});

describe('start-up without MongoDB', () => {
  it('gives up with DependencyUnavailableError after the start-up timeout', async () => {
    const uri = `mongodb://127.0.0.1:${await closedPort()}/tessera?replicaSet=rs0`;
    const started = Date.now();
    const rejection = await createMongoStores(uri, { startupTimeoutMs: 0 }).catch((caught: unknown) => caught);
    // Getting as far as server selection means the driver accepted every connection option.
    expect(rejection).toBeInstanceOf(DependencyUnavailableError);
    expect((rejection as Error).cause).toMatchObject({ name: 'MongooseServerSelectionError' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('tries once by default, leaving the retrying to the server\'s start-up gate, and keeps no connection behind', async () => {
    const uri = `mongodb://127.0.0.1:${await closedPort()}/tessera?replicaSet=rs0`;
    const warnings: string[] = [];
    const log = { warn: (_details: object, message: string) => void warnings.push(message), info() {} };
    const connectionsBefore = mongoose.connections.length;
    await expect(createMongoStores(uri, { log })).rejects.toBeInstanceOf(DependencyUnavailableError);
    // A second attempt would have been announced with "not reachable yet; retrying".
    expect(warnings).toEqual([]);
    // The gate may try thousands of times: each failed attempt must leave mongoose's list of connections as it was.
    expect(mongoose.connections.length).toBe(connectionsBefore);
  });
});

describe('declared indexes', () => {
  const models = defineModels(mongoose.createConnection());
  const indexes = (model: { schema: { indexes(): Array<[Record<string, unknown>, Record<string, unknown>]> } }) =>
    model.schema.indexes();

  it('keeps slugs, emails, memberships and audit sequence numbers unique', () => {
    expect(indexes(models.tenants)).toContainEqual([{ slug: 1 }, expect.objectContaining({ unique: true })]);
    expect(indexes(models.accounts)).toContainEqual([{ email: 1 }, expect.objectContaining({ unique: true })]);
    expect(indexes(models.memberships)).toContainEqual([
      { tenantId: 1, accountId: 1 },
      expect.objectContaining({ unique: true }),
    ]);
    expect(indexes(models.audit)).toContainEqual([{ chain: 1, seq: 1 }, expect.objectContaining({ unique: true })]);
  });

  it('expires artifacts by expiresAt and indexes every artifact lookup', () => {
    const declared = indexes(models.artifacts).map(([keys]) => keys);
    expect(indexes(models.artifacts)).toContainEqual([
      { expiresAt: 1 },
      expect.objectContaining({ expireAfterSeconds: 0 }),
    ]);
    for (const field of ['grantId', 'uid', 'userCode', 'accountId']) {
      expect(declared).toContainEqual({ model: 1, [field]: 1 });
    }
  });
});
