import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStores } from '../../src/storage/sqlite/index.js';
import { describeAccessControlContract } from './access-control.contract.js';
import { describeAccountRemovalContract } from './account-removal.contract.js';
import { describeArtifactStoreContract } from './artifact-store.contract.js';
import { describeAuditRepositoryContract } from './audit-repository.contract.js';
import { describeDirectoryContract } from './directory.contract.js';
import { describeProtectedFieldsContract } from './protected-fields.contract.js';
import { describeSecurityCountersContract } from './security-counters.contract.js';

/** A fresh SQLite file per test, in a temporary folder removed afterwards. */
async function openSqlite() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-contract-'));
  const stores = createSqliteStores(path.join(dir, 'tessera.db'));
  return {
    stores,
    store: stores.artifacts,
    counters: stores.counters,
    audit: stores.audit,
    async close() {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeArtifactStoreContract('sqlite', openSqlite);
describeDirectoryContract('sqlite', openSqlite);
describeSecurityCountersContract('sqlite', openSqlite);
describeAuditRepositoryContract('sqlite', openSqlite);
describeAccessControlContract('sqlite', openSqlite);
describeProtectedFieldsContract('sqlite', openSqlite);
describeAccountRemovalContract('sqlite', openSqlite);
