/**
 * The storage ports. Domain services depend on these interfaces only; each adapter folder (sqlite/, redis/, mongo/)
 * implements them and must pass the shared contract suite in test/contract.
 *
 * Records are plain data. Adapters never interpret payloads beyond the indexed fields named here.
 */

import type { ProtectedFieldStore } from './protected-fields.js';

export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  /** Every member must sign in with a second factor; members without one enrol at their next sign-in. */
  mfaRequired: boolean;
  createdAt: Date;
}

export interface AccountRecord {
  id: string;
  /** Lower-cased; unique across the deployment (one person, one account, many companies). */
  email: string;
  name: string | null;
  passwordHash: string;
  /** The second factor, when enrolled. */
  mfa: AccountMfa | null;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface AccountMfa {
  /** The TOTP secret, encrypted (AES-256-GCM, see crypto/): never stored in clear. */
  totpSecret: string;
  /** SHA-256 hashes of the unused recovery codes. */
  recoveryCodeHashes: string[];
  enrolledAt: Date;
}

export interface MembershipRecord {
  tenantId: string;
  accountId: string;
  roles: string[];
  createdAt: Date;
}

export interface ClientRecord {
  clientId: string;
  /** The company that owns the client; null for platform clients. */
  tenantId: string | null;
  /** RFC 7591 metadata exactly as oidc-provider expects it (client_id included). */
  metadata: Record<string, unknown>;
  createdAt: Date;
}

/** The JWS algorithms a resource server may have its JWT access tokens signed with. */
export type JwtSigningAlgorithm = 'ES256' | 'RS256' | 'EdDSA';

export interface ResourceServerRecord {
  /** The RFC 8707 resource indicator, an absolute URI. */
  identifier: string;
  tenantId: string | null;
  scopes: string[];
  /** JWT (RFC 9068) access tokens when true; opaque, introspected tokens otherwise. */
  jwtAccessTokens: boolean;
  /** Overrides the configured access-token lifetime for this audience, in seconds. */
  accessTokenTtl: number | null;
  /** How its JWT access tokens are signed; absent means ES256. */
  signingAlg?: JwtSigningAlgorithm;
  createdAt: Date;
}

/**
 * A permission: one scope, either on every resource of its kind (`resource` null, e.g. `devices:read`) or on one
 * named resource (`device dev_123: devices:vnc`).
 */
export interface PermissionRecord {
  scope: string;
  resource: { type: string; id: string } | null;
}

/** A company's named bundle of permissions, given to users directly (membership roles) or through groups. */
export interface RoleRecord {
  id: string;
  tenantId: string;
  /** Unique within the company; memberships and groups refer to roles by name. */
  name: string;
  permissions: PermissionRecord[];
  createdAt: Date;
}

/** A company's set of users that share roles. */
export interface GroupRecord {
  id: string;
  tenantId: string;
  /** Unique within the company. */
  name: string;
  memberIds: string[];
  roleNames: string[];
  createdAt: Date;
}

export interface TenantRepository {
  create(tenant: TenantRecord): Promise<void>;
  findById(id: string): Promise<TenantRecord | null>;
  findBySlug(slug: string): Promise<TenantRecord | null>;
  /** Every company ordered by slug, those after `afterSlug` only (cursor pagination; the platform operator's view). */
  list(page: { afterSlug?: string; limit: number }): Promise<TenantRecord[]>;
  update(tenant: TenantRecord): Promise<void>;
}

export interface AccountRepository {
  create(account: AccountRecord): Promise<void>;
  findById(id: string): Promise<AccountRecord | null>;
  findByEmail(email: string): Promise<AccountRecord | null>;
  update(account: AccountRecord): Promise<void>;
}

export interface MembershipRepository {
  /** Creates or replaces the membership of one account in one company. */
  put(membership: MembershipRecord): Promise<void>;
  find(tenantId: string, accountId: string): Promise<MembershipRecord | null>;
  listForAccount(accountId: string): Promise<MembershipRecord[]>;
  /** The company's memberships ordered by account id, those after `afterAccountId` only (cursor pagination). */
  listForTenant(tenantId: string, page: { afterAccountId?: string; limit: number }): Promise<MembershipRecord[]>;
  /** The company's members that hold this role directly (not through a group). */
  listByRole(tenantId: string, roleName: string): Promise<MembershipRecord[]>;
  /** Ends the account's membership of the company; false when it was not a member. */
  remove(tenantId: string, accountId: string): Promise<boolean>;
}

/** Every method names the company and reads or writes inside it only: no call reaches across companies. */
export interface RoleRepository {
  /** ConflictError when the company already has a role with this name. */
  create(role: RoleRecord): Promise<void>;
  /** Replaces a role's permissions; false when the company has no role with this name. */
  setPermissions(tenantId: string, name: string, permissions: PermissionRecord[]): Promise<boolean>;
  findByName(tenantId: string, name: string): Promise<RoleRecord | null>;
  /** The company's roles among these names (unknown names are skipped). */
  listByNames(tenantId: string, names: string[]): Promise<RoleRecord[]>;
  list(tenantId: string): Promise<RoleRecord[]>;
  /** Removes the company's role; false when it has none by this name. Memberships and groups are left as they are. */
  delete(tenantId: string, name: string): Promise<boolean>;
}

/** Every method names the company and reads or writes inside it only. */
export interface GroupRepository {
  /** ConflictError when the company already has a group with this name. */
  create(group: GroupRecord): Promise<void>;
  findByName(tenantId: string, name: string): Promise<GroupRecord | null>;
  list(tenantId: string): Promise<GroupRecord[]>;
  /** Adds an account to the company's group (idempotent); false when the company has no such group. */
  addMember(tenantId: string, groupId: string, accountId: string): Promise<boolean>;
  /** Gives the company's group a role by name (idempotent); false when the company has no such group. */
  addRole(tenantId: string, groupId: string, roleName: string): Promise<boolean>;
  /** The company's groups the account belongs to. */
  listForAccount(tenantId: string, accountId: string): Promise<GroupRecord[]>;
  /** Takes an account out of the company's group; false when it was not in it (or no such group). */
  removeMember(tenantId: string, groupId: string, accountId: string): Promise<boolean>;
  /** Takes a role from the company's group; false when the group did not have it (or no such group). */
  removeRole(tenantId: string, groupId: string, roleName: string): Promise<boolean>;
  /** Removes the company's group with its member and role lists; false when the company has no such group. */
  delete(tenantId: string, groupId: string): Promise<boolean>;
}

/** An account whose owner asked for deletion: disabled at once, its personal data purged once `purgeAfter` passed. */
export interface AccountDeletionRecord {
  accountId: string;
  requestedAt: Date;
  purgeAfter: Date;
  /** Set once the personal data is gone; the record stays as proof of when. */
  purgedAt: Date | null;
}

/** The deletion schedule. Shared by every instance: claims keep two purge jobs off the same account. */
export interface AccountDeletionRepository {
  /** Schedules a deletion; when one is already scheduled it is kept as it was and returned. */
  schedule(deletion: AccountDeletionRecord): Promise<AccountDeletionRecord>;
  find(accountId: string): Promise<AccountDeletionRecord | null>;
  /**
   * Atomically claims up to `limit` deletions that are due (`purgeAfter <= now`) and not purged, for `leaseSeconds`:
   * while the lease lives no other caller gets them; a crashed purger's claims come back when it ends.
   */
  claimDue(now: Date, leaseSeconds: number, limit: number): Promise<string[]>;
  markPurged(accountId: string, purgedAt: Date): Promise<void>;
}

export interface ClientRepository {
  create(client: ClientRecord): Promise<void>;
  find(clientId: string): Promise<ClientRecord | null>;
  /** Replaces a client's metadata (RFC 7592 update); false when no such client exists. */
  updateMetadata(clientId: string, metadata: Record<string, unknown>): Promise<boolean>;
  /** The company's clients ordered by client id, those after `afterClientId` only (cursor pagination). */
  listForTenant(tenantId: string, page: { afterClientId?: string; limit: number }): Promise<ClientRecord[]>;
  /** Removes a client (RFC 7592 delete); nothing happens when it does not exist. */
  delete(clientId: string): Promise<void>;
  /** Whether some client registers a redirect URI on this origin (`https://app.example`): CORS preflights ask. */
  hasRedirectUriOrigin(origin: string): Promise<boolean>;
}

export interface ResourceServerRepository {
  create(resourceServer: ResourceServerRecord): Promise<void>;
  find(identifier: string): Promise<ResourceServerRecord | null>;
  /** The company's resource servers ordered by identifier, those after `afterIdentifier` only (cursor pagination). */
  listForTenant(tenantId: string, page: { afterIdentifier?: string; limit: number }): Promise<ResourceServerRecord[]>;
  /** Removes a resource server; nothing happens when it does not exist. */
  delete(identifier: string): Promise<void>;
  /** The longest access-token lifetime any resource server overrides the default with; null when none does. */
  longestAccessTokenTtl(): Promise<number | null>;
}

/**
 * Storage for oidc-provider's models (sessions, interactions, codes, tokens, grants, …), keyed by model name and id.
 * Mirrors oidc-provider's adapter interface so the provider adapter is a thin shim.
 */
export interface OidcArtifact {
  [key: string]: unknown;
  grantId?: string;
  userCode?: string;
  uid?: string;
  accountId?: string;
  consumed?: number;
}

export type ConsumeResult = 'consumed' | 'already-consumed' | 'not-found';

export interface OidcArtifactStore {
  upsert(model: string, id: string, payload: OidcArtifact, expiresInSeconds: number): Promise<void>;
  find(model: string, id: string): Promise<OidcArtifact | undefined>;
  findByUid(model: string, uid: string): Promise<OidcArtifact | undefined>;
  findByUserCode(model: string, userCode: string): Promise<OidcArtifact | undefined>;
  /**
   * Marks the artifact consumed if, and only if, nobody has before: of any number of concurrent calls for one id,
   * exactly one gets 'consumed'.
   */
  consume(model: string, id: string): Promise<ConsumeResult>;
  destroy(model: string, id: string): Promise<void>;
  revokeByGrantId(model: string, grantId: string): Promise<void>;
  /** Live artifacts of one model that belong to one account (e.g. an account's sessions). */
  listByAccount(model: string, accountId: string): Promise<Array<{ id: string; payload: OidcArtifact }>>;
}

/** Failures recorded under one key (an account, an account+IP pair, an IP). */
export interface FailureCount {
  count: number;
  /** Epoch milliseconds of the latest failure. */
  lastFailureAt: number;
}

/**
 * Counters for brute-force protection and rate limits, shared by every instance (Redis in production).
 * Every method is atomic: concurrent calls never lose an update.
 */
export interface SecurityCounters {
  /** Adds one failure and keeps the record for `ttlSeconds` after this failure; returns the new state. */
  recordFailure(key: string, ttlSeconds: number, now: number): Promise<FailureCount>;
  readFailures(key: string): Promise<FailureCount | null>;
  clearFailures(key: string): Promise<void>;
  /**
   * Fixed-window rate limit: counts one hit in the key's current window and returns the hits in it so far. A window
   * opens at the first hit after the previous one closed and lasts `windowSeconds`.
   */
  hit(key: string, windowSeconds: number): Promise<number>;
  /** True for the first caller only while the claim lives (`ttlSeconds`); used to refuse replayed TOTP codes. */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
}

/** One stored audit event, a link in its company's hash chain. */
export interface AuditRecord {
  /** The chain: a company id, or 'platform' for events outside any company. */
  chain: string;
  /** Position in the chain, from 1. */
  seq: number;
  at: Date;
  type: string;
  actor: string | null;
  subject: string | null;
  /** What the event concerns besides the subject (a client, a device, a session). */
  resource: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type NewAuditRecord = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

export interface AuditQuery {
  chain: string;
  subject?: string;
  resource?: string;
  /** Only events with a smaller seq (cursor pagination, newest first). */
  beforeSeq?: number;
  limit: number;
}

/** Append-only: there is no update or delete. */
export interface AuditRepository {
  /**
   * Appends to the event's chain atomically: reads the chain's last link and stores the new one with the next
   * seq and `link(prevHash, seq)` as its hash, so concurrent appends can never fork the chain.
   */
  append(record: NewAuditRecord, link: (prevHash: string, seq: number) => string): Promise<AuditRecord>;
  /** Newest first. */
  query(query: AuditQuery): Promise<AuditRecord[]>;
  /** Oldest first, for verification. */
  scan(chain: string): AsyncIterable<AuditRecord>;
}

/** Key material generated in development and kept in the store, so restarts keep tokens and cookies valid. */
export interface KeyMaterialRecord {
  jwks: { keys: Array<Record<string, unknown>> };
  cookieKeys: string[];
}

/** A signing key added by `keys rotate`; every instance reads these and publishes or signs with them (oidc/key-ring.ts). */
export interface RotatedSigningKeyRecord {
  kid: string;
  alg: JwtSigningAlgorithm;
  /** The private JWK as JSON, field-encrypted: never stored in clear. */
  encryptedJwk: string;
  /** Published from creation; signs from this moment on. */
  activeFrom: Date;
  createdAt: Date;
}

export interface KeyMaterialRepository {
  load(): Promise<KeyMaterialRecord | null>;
  /** Stores the material unless some is already stored; returns whichever is stored afterwards. */
  saveIfAbsent(material: KeyMaterialRecord): Promise<KeyMaterialRecord>;
  /** ConflictError when a key with this kid exists. */
  addSigningKey(key: RotatedSigningKeyRecord): Promise<void>;
  /** Oldest first. */
  listSigningKeys(): Promise<RotatedSigningKeyRecord[]>;
  /** Idempotent: removing a key another instance already removed is fine. */
  removeSigningKey(kid: string): Promise<void>;
}

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
  health: HealthCheck[];
  close(): Promise<void>;
}
