/** Companies, accounts and who may do what in which company: the long-lived records of people. */

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
