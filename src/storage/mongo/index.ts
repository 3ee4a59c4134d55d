import type { HealthCheck, OidcArtifactStore, Stores } from '../ports.js';
import { MongoGroupRepository, MongoRoleRepository } from './access-control.js';
import { defineAccountDeletionModel, MongoAccountDeletionRepository } from './account-deletions.js';
import { MongoArtifactStore } from './artifact-store.js';
import { MongoAuditRepository } from './audit-repository.js';
import { createMongoConnection, type MongoConnection, type MongoConnectionOptions } from './connection.js';
import { MongoAccountRepository, MongoMembershipRepository, MongoTenantRepository } from './directory.js';
import { defineModels } from './models.js';
import { MongoProtectedFieldStore } from './protected-fields.js';
import { MongoClientRepository, MongoKeyMaterialRepository, MongoResourceServerRepository } from './registry.js';

export type { MongoConnection, MongoConnectionOptions } from './connection.js';
export { MongoArtifactStore } from './artifact-store.js';

/**
 * The ports MongoDB serves: the long-lived records and the audit trail. Short-lived artifacts (sessions, codes,
 * access tokens, …) and the security counters are not here; they come from Redis (or SQLite), and a
 * RoutingArtifactStore sends the long-lived artifact models to `longLivedArtifacts`.
 */
type MongoBackedPort =
  | 'tenants'
  | 'accounts'
  | 'memberships'
  | 'roles'
  | 'groups'
  | 'accountDeletions'
  | 'clients'
  | 'resourceServers'
  | 'keyMaterial'
  | 'protectedFields'
  | 'audit';

export interface MongoStores extends Pick<Stores, MongoBackedPort> {
  /** Meant for grants and refresh tokens; see LONG_LIVED_MODELS in ../routing-artifact-store.ts. */
  longLivedArtifacts: OidcArtifactStore;
  health: HealthCheck;
  /** The connection itself, for multi-document transactions (`withTransaction`) and for tests. */
  mongo: MongoConnection;
  close(): Promise<void>;
}

/**
 * Connects, builds the indexes, and returns the repositories. Throws DependencyUnavailableError when no primary
 * answers within the start-up timeout (see connection.ts for why start-up waits for MongoDB and Redis does not).
 */
export async function createMongoStores(uri: string, options: MongoConnectionOptions = {}): Promise<MongoStores> {
  const mongo = await createMongoConnection(uri, options);
  try {
    const models = defineModels(mongo.connection);
    const accountDeletions = defineAccountDeletionModel(mongo.connection);
    await mongo.syncIndexes();
    return {
      tenants: new MongoTenantRepository(models.tenants),
      accounts: new MongoAccountRepository(models.accounts),
      memberships: new MongoMembershipRepository(models.memberships),
      roles: new MongoRoleRepository(models.roles),
      groups: new MongoGroupRepository(models.groups),
      accountDeletions: new MongoAccountDeletionRepository(accountDeletions),
      clients: new MongoClientRepository(models.clients),
      resourceServers: new MongoResourceServerRepository(models.resourceServers),
      keyMaterial: new MongoKeyMaterialRepository(models.keyMaterial),
      protectedFields: new MongoProtectedFieldStore(models.accounts, models.clients),
      audit: new MongoAuditRepository(models.audit),
      longLivedArtifacts: new MongoArtifactStore(models.artifacts),
      health: mongo.health,
      mongo,
      close: () => mongo.close(),
    };
  } catch (error) {
    await mongo.close();
    throw error;
  }
}
