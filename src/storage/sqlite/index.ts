import type { Stores } from '../ports.js';
import { SqliteAccountDeletionRepository } from './account-deletions.js';
import { SqliteArtifactStore } from './artifact-store.js';
import { openDatabase } from './database.js';
import { SqliteAccountRepository, SqliteMembershipRepository, SqliteTenantRepository } from './directory.js';
import { SqliteAuditRepository } from './audit-repository.js';
import { groupCommitOf } from './group-commit.js';
import { SqliteGroupRepository, SqliteRoleRepository } from './access-control.js';
import { SqliteProtectedFieldStore } from './protected-fields.js';
import { SqliteSecurityCounters } from './security-counters.js';
import { SqliteClientRepository, SqliteKeyMaterialRepository, SqliteResourceServerRepository } from './registry.js';
import { SqliteRegistryVersion } from './registry-version.js';

export { openDatabase } from './database.js';
export { SqliteArtifactStore } from './artifact-store.js';
export { backupStore, type BackupSummary } from './backup.js';
export { restoreStore, type RestoreSummary } from './restore.js';

const SWEEP_INTERVAL_MS = 60_000;

/** Every port backed by one SQLite file: the embedded default. */
export function createSqliteStores(file: string): Stores {
  const db = openDatabase(file);
  const artifacts = new SqliteArtifactStore(db);
  const counters = new SqliteSecurityCounters(db);
  const sweeper = setInterval(() => {
    artifacts.sweepExpired();
    counters.sweepExpired();
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  return {
    tenants: new SqliteTenantRepository(db),
    accounts: new SqliteAccountRepository(db),
    memberships: new SqliteMembershipRepository(db),
    roles: new SqliteRoleRepository(db),
    groups: new SqliteGroupRepository(db),
    accountDeletions: new SqliteAccountDeletionRepository(db),
    clients: new SqliteClientRepository(db),
    resourceServers: new SqliteResourceServerRepository(db),
    artifacts,
    counters,
    audit: new SqliteAuditRepository(db),
    keyMaterial: new SqliteKeyMaterialRepository(db),
    protectedFields: new SqliteProtectedFieldStore(db),
    registryVersion: new SqliteRegistryVersion(db),
    health: [{ name: 'sqlite', check: async () => void db.prepare('SELECT 1').get() }],
    async close() {
      clearInterval(sweeper);
      if (!db.isOpen) return;
      // Writes still queued for the next group commit are committed, not dropped.
      groupCommitOf(db).flushNow();
      db.close();
    },
  };
}
