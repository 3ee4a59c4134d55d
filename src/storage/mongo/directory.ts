import type { Model } from 'mongoose';
import type {
  AccountRecord,
  AccountRepository,
  MembershipRecord,
  MembershipRepository,
  TenantRecord,
  TenantRepository,
} from '../ports.js';
import { mongoCall } from './errors.js';
import { lookupKey } from './lookup-key.js';
import type { AccountDocument, MembershipDocument, TenantDocument } from './models.js';

/** Companies, accounts and memberships: the "who" of Tessera, in MongoDB. Each change is one document. */

const SLUG_TAKEN = 'a company with this slug already exists';
const EMAIL_TAKEN = 'an account with this email already exists';

export class MongoTenantRepository implements TenantRepository {
  constructor(private readonly tenants: Model<TenantDocument>) {}

  create(tenant: TenantRecord): Promise<void> {
    return mongoCall(async () => {
      await this.tenants.create({
        _id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        mfaRequired: tenant.mfaRequired,
        createdAt: tenant.createdAt,
      });
    }, SLUG_TAKEN);
  }

  /** Changes what may change; the id and creation time stay. */
  update(tenant: TenantRecord): Promise<void> {
    return mongoCall(async () => {
      await this.tenants.updateOne(
        { _id: lookupKey(tenant.id) },
        { $set: { slug: tenant.slug, name: tenant.name, mfaRequired: tenant.mfaRequired } },
      );
    }, SLUG_TAKEN);
  }

  findById(id: string): Promise<TenantRecord | null> {
    return mongoCall(async () =>
      toTenant(await this.tenants.findOne({ _id: lookupKey(id) }).lean<TenantDocument>()),
    );
  }

  findBySlug(slug: string): Promise<TenantRecord | null> {
    return mongoCall(async () =>
      toTenant(await this.tenants.findOne({ slug: lookupKey(slug) }).lean<TenantDocument>()),
    );
  }

  list(page: { afterSlug?: string; limit: number }): Promise<TenantRecord[]> {
    return mongoCall(async () => {
      const filter = page.afterSlug === undefined ? {} : { slug: { $gt: lookupKey(page.afterSlug) } };
      const docs = await this.tenants.find(filter).sort({ slug: 1 }).limit(page.limit).lean<TenantDocument[]>();
      return docs.map((doc) => toTenant(doc)!);
    });
  }
}

export class MongoAccountRepository implements AccountRepository {
  constructor(private readonly accounts: Model<AccountDocument>) {}

  create(account: AccountRecord): Promise<void> {
    return mongoCall(async () => {
      await this.accounts.create({ _id: account.id, ...changeableFields(account), createdAt: account.createdAt });
    }, EMAIL_TAKEN);
  }

  update(account: AccountRecord): Promise<void> {
    return mongoCall(async () => {
      await this.accounts.updateOne({ _id: lookupKey(account.id) }, { $set: changeableFields(account) });
    }, EMAIL_TAKEN);
  }

  findById(id: string): Promise<AccountRecord | null> {
    return mongoCall(async () =>
      toAccount(await this.accounts.findOne({ _id: lookupKey(id) }).lean<AccountDocument>()),
    );
  }

  findByEmail(email: string): Promise<AccountRecord | null> {
    return mongoCall(async () =>
      toAccount(await this.accounts.findOne({ email: lookupKey(email) }).lean<AccountDocument>()),
    );
  }
}

export class MongoMembershipRepository implements MembershipRepository {
  constructor(private readonly memberships: Model<MembershipDocument>) {}

  /**
   * One upsert on the unique (tenantId, accountId) pair: the roles are replaced, the creation time kept. Two
   * concurrent first puts may both try to insert; MongoDB (4.2+) retries the loser as an update by itself,
   * because its filter is exactly the unique index's fields.
   */
  put(membership: MembershipRecord): Promise<void> {
    return mongoCall(async () => {
      await this.memberships.updateOne(
        { tenantId: lookupKey(membership.tenantId), accountId: lookupKey(membership.accountId) },
        { $set: { roles: membership.roles }, $setOnInsert: { createdAt: membership.createdAt } },
        { upsert: true },
      );
    });
  }

  find(tenantId: string, accountId: string): Promise<MembershipRecord | null> {
    return mongoCall(async () => {
      const found = await this.memberships
        .findOne({ tenantId: lookupKey(tenantId), accountId: lookupKey(accountId) })
        .lean<MembershipDocument>();
      return found ? toMembership(found) : null;
    });
  }

  listForAccount(accountId: string): Promise<MembershipRecord[]> {
    return mongoCall(async () => {
      const found = await this.memberships.find({ accountId: lookupKey(accountId) }).lean<MembershipDocument[]>();
      return found.map(toMembership);
    });
  }

  listForTenant(tenantId: string, page: { afterAccountId?: string; limit: number }): Promise<MembershipRecord[]> {
    return mongoCall(async () => {
      const found = await this.memberships
        .find({ tenantId: lookupKey(tenantId), ...(page.afterAccountId === undefined ? {} : { accountId: { $gt: lookupKey(page.afterAccountId) } }) })
        .sort({ accountId: 1 })
        .limit(page.limit)
        .lean<MembershipDocument[]>();
      return found.map(toMembership);
    });
  }

  listByRole(tenantId: string, roleName: string): Promise<MembershipRecord[]> {
    return mongoCall(async () => {
      const found = await this.memberships
        .find({ tenantId: lookupKey(tenantId), roles: lookupKey(roleName) })
        .lean<MembershipDocument[]>();
      return found.map(toMembership);
    });
  }

  remove(tenantId: string, accountId: string): Promise<boolean> {
    return mongoCall(async () => {
      const result = await this.memberships.deleteOne({ tenantId: lookupKey(tenantId), accountId: lookupKey(accountId) });
      return result.deletedCount > 0;
    });
  }
}

/** Everything an account update may change (all but the id and the creation time). */
function changeableFields(account: AccountRecord): Omit<AccountDocument, '_id' | 'createdAt'> {
  return {
    email: account.email,
    name: account.name,
    passwordHash: account.passwordHash,
    mfa: account.mfa && {
      totpSecret: account.mfa.totpSecret,
      recoveryCodeHashes: account.mfa.recoveryCodeHashes,
      enrolledAt: account.mfa.enrolledAt,
    },
    disabled: account.disabled,
    updatedAt: account.updatedAt,
  };
}

/*
 * Records are rebuilt field by field from lean (plain) documents, so they carry no `_id` or other stray field,
 * and a nullable field or list that a document lacks reads as null or empty, as the record type says.
 */

function toTenant(doc: TenantDocument | null): TenantRecord | null {
  if (!doc) return null;
  return { id: doc._id, slug: doc.slug, name: doc.name, mfaRequired: doc.mfaRequired, createdAt: doc.createdAt };
}

function toAccount(doc: AccountDocument | null): AccountRecord | null {
  if (!doc) return null;
  return {
    id: doc._id,
    email: doc.email,
    name: doc.name ?? null,
    passwordHash: doc.passwordHash,
    mfa: doc.mfa
      ? {
          totpSecret: doc.mfa.totpSecret,
          recoveryCodeHashes: [...(doc.mfa.recoveryCodeHashes ?? [])],
          enrolledAt: doc.mfa.enrolledAt,
        }
      : null,
    disabled: doc.disabled,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toMembership(doc: MembershipDocument): MembershipRecord {
  return { tenantId: doc.tenantId, accountId: doc.accountId, roles: [...(doc.roles ?? [])], createdAt: doc.createdAt };
}
