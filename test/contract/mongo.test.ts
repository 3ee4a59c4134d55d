import { afterAll, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createMongoStores, type MongoStores } from '../../src/storage/mongo/index.js';
import { describeAccessControlContract } from './access-control.contract.js';
import { describeAccountRemovalContract } from './account-removal.contract.js';
import { describeArtifactStoreContract } from './artifact-store.contract.js';
import { describeAuditRepositoryContract } from './audit-repository.contract.js';
import { describeDirectoryContract } from './directory.contract.js';
import { describeProtectedFieldsContract } from './protected-fields.contract.js';

/**
 * The MongoDB adapter against a real replica set, when MONGODB_URI names one (docs/production.md shows how to
 * start one with docker compose). Each run works in a database of its own, dropped at the end.
 */
const uri = process.env.MONGODB_URI;

if (!uri) {
  const reason =
    'MongoDB contract suite skipped: MONGODB_URI is not set (no MongoDB server on this machine; start one with ' +
    '`docker compose up -d mongo1 mongo2 mongo3 mongo-init` and set ' +
    'MONGODB_URI=mongodb://mongo1:27017,mongo2:27018,mongo3:27019/?replicaSet=rs0, see docs/production.md)';
  console.log(reason);
  it.skip(reason, () => {});
} else {
  const dbName = `tessera_contract_${randomUUID().replaceAll('-', '')}`;
  let shared: Promise<MongoStores> | undefined;

  // One connection for the whole run: the suites open a harness per test, and each would otherwise connect and
  // sync the indexes again. The harness's close is a no-op; the database goes at the very end.
  const open = async () => {
    shared ??= createMongoStores(uri, { dbName, startupTimeoutMs: 10_000 });
    const stores = await shared;
    return { stores, store: stores.longLivedArtifacts, audit: stores.audit, close: async () => {} };
  };

  afterAll(async () => {
    if (!shared) return;
    const stores = await shared;
    await stores.mongo.connection.dropDatabase();
    await stores.close();
  });

  describeDirectoryContract('mongodb', open);
  describeArtifactStoreContract('mongodb', open);
  describeAuditRepositoryContract('mongodb', open);
  describeAccessControlContract('mongodb', open);
  describeProtectedFieldsContract('mongodb', open);
  describeAccountRemovalContract('mongodb', open);
}
