/**
 * The storage ports. Domain services depend on these interfaces only; each adapter folder (sqlite/, redis/, mongo/)
 * implements them and must pass the shared contract suite in test/contract.
 *
 * Records are plain data. Adapters never interpret payloads beyond the indexed fields named here.
 */

import type { ProtectedFieldStore } from './protected-fields.js';
import type { AccountDeletionRepository, AccountRepository, GroupRepository, MembershipRepository, RoleRepository, TenantRepository } from './ports/directory.js';
import type { ClientRepository, KeyMaterialRepository, RegistryVersion, ResourceServerRepository } from './ports/registry.js';
import type { OidcArtifactStore, SecurityCounters } from './ports/artifacts.js';
import type { AuditRepository } from './ports/audit.js';

export type * from './ports/directory.js';
export type * from './ports/registry.js';
export type * from './ports/artifacts.js';
export {
  ACCOUNT_LISTED_MODELS,
  assertConsumable,
  assertListedByAccount,
  NEVER_CONSUMED_MODELS,
  NotConsumableError,
  NotListedByAccountError,
} from './ports/artifacts.js';
export type * from './ports/audit.js';

/** Something a store can report on for /readyz. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

/** Everything the services need from storage, as picked by the composition root. */
export interface Stores {
  tenants: TenantRepository;
  accounts: AccountRepository;
  memberships: MembershipRepository;
  roles: RoleRepository;
  groups: GroupRepository;
  accountDeletions: AccountDeletionRepository;
  clients: ClientRepository;
  resourceServers: ResourceServerRepository;
  artifacts: OidcArtifactStore;
  counters: SecurityCounters;
  audit: AuditRepository;
  keyMaterial: KeyMaterialRepository;
  /** The stored (encrypted) form of the protected fields, for key rotation; lives with accounts and clients. */
  protectedFields: ProtectedFieldStore;
  /** Absent where the registry lives in MongoDB. */
  registryVersion?: RegistryVersion;
  health: HealthCheck[];
  close(): Promise<void>;
}
