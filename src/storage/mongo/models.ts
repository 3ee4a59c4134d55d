import mongoose, { type Connection, type Model } from 'mongoose';
import type { JwtSigningAlgorithm, KeyMaterialRecord } from '../ports.js';

/**
 * The stored shape of every collection, as mongoose schemas, and the indexes the adapter relies on.
 * Indexes are created by `syncIndexes()` at start-up (connection.ts), never lazily while serving.
 *
 * Fields whose content comes from outside (client metadata from dynamic registration, oidc-provider payloads that
 * carry request parameters, audit details) are stored as JSON strings: MongoDB gives field names starting with
 * `$` or holding a `.` special meaning, and mongoose would rewrite empty objects, so an opaque string is the one
 * form that comes back exactly as it went in. They are never queried inside; indexed values sit in their own
 * fields.
 */

const { Schema } = mongoose;

/** Options every collection shares. */
const COMMON = {
  // A field the schema does not know is a bug: fail loudly rather than drop it (strict) or match nothing (query).
  strict: 'throw',
  strictQuery: 'throw',
  // No `__v` field and no `id` virtual: documents hold exactly the record's fields, plus `_id`.
  versionKey: false,
  id: false,
  // Keep empty objects as they are (mongoose would otherwise remove them on insert).
  minimize: false,
} as const;

/** `_id` is our own string id, never a generated ObjectId. */
const stringId = { type: String, required: true } as const;
const requiredString = { type: String, required: true } as const;
const nullableString = { type: String, default: null } as const;
const requiredDate = { type: Date, required: true } as const;

export interface TenantDocument {
  _id: string;
  slug: string;
  name: string;
  mfaRequired: boolean;
  createdAt: Date;
}

export interface MfaDocument {
  totpSecret: string;
  recoveryCodeHashes: string[];
  enrolledAt: Date;
}

export interface AccountDocument {
  _id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  mfa: MfaDocument | null;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** `_id` is a generated ObjectId: a membership is known by its (tenantId, accountId) pair, kept unique. */
export interface MembershipDocument {
  tenantId: string;
  accountId: string;
  roles: string[];
  createdAt: Date;
}

/** `_id` is the role's id; the (tenantId, name) pair is unique. Permissions are JSON (see above). */
export interface RoleDocument {
  _id: string;
  tenantId: string;
  name: string;
  permissions: string;
  createdAt: Date;
}

/** `_id` is the group's id; the (tenantId, name) pair is unique. */
export interface GroupDocument {
  _id: string;
  tenantId: string;
  name: string;
  memberIds: string[];
  roleNames: string[];
  createdAt: Date;
}

/** `_id` is the client_id. */
export interface ClientDocument {
  _id: string;
  tenantId: string | null;
  /** The RFC 7591 metadata as JSON (see above). */
  metadata: string;
  createdAt: Date;
}

/** `_id` is the resource indicator. */
export interface ResourceServerDocument {
  _id: string;
  tenantId: string | null;
  scopes: string[];
  jwtAccessTokens: boolean;
  accessTokenTtl: number | null;
  /** Absent on documents written before resource servers chose their algorithm: ES256. */
  signingAlg?: JwtSigningAlgorithm | null;
  createdAt: Date;
}

/** One document, `_id` = KEY_MATERIAL_ID. */
export interface KeyMaterialDocument {
  _id: string;
  jwks: KeyMaterialRecord['jwks'];
  cookieKeys: string[];
}

export const KEY_MATERIAL_ID = 'current';

export const SIGNING_KEY_MODEL = 'SigningKey';

/** A signing key added by rotation; `_id` is its kid. */
export interface SigningKeyDocument {
  _id: string;
  alg: JwtSigningAlgorithm;
  encryptedJwk: string;
  activeFrom: Date;
  createdAt: Date;
}

/** One audit event; `_id` is a generated ObjectId, the event is known by its (chain, seq) pair, kept unique. */
export interface AuditDocument {
  chain: string;
  seq: number;
  at: Date;
  type: string;
  actor: string | null;
  subject: string | null;
  resource: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The event's details as JSON (see above). */
  details: string;
  prevHash: string;
  hash: string;
}

/** One oidc-provider artifact; `_id` is `<model>:<id>` (see artifact-store.ts). */
export interface ArtifactDocument {
  _id: string;
  model: string;
  artifactId: string;
  /** The payload as JSON (see above). */
  payload: string;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  accountId: string | null;
  /** Null: never expires. */
  expiresAt: Date | null;
  consumedAt: Date | null;
}

const tenantSchema = new Schema<TenantDocument>(
  {
    _id: stringId,
    slug: requiredString,
    name: requiredString,
    mfaRequired: { type: Boolean, required: true },
    createdAt: requiredDate,
  },
  COMMON,
);
tenantSchema.index({ slug: 1 }, { unique: true });

const mfaSchema = new Schema<MfaDocument>(
  {
    totpSecret: requiredString,
    recoveryCodeHashes: { type: [String], default: [] },
    enrolledAt: requiredDate,
  },
  { ...COMMON, _id: false },
);

const accountSchema = new Schema<AccountDocument>(
  {
    _id: stringId,
    email: requiredString,
    name: nullableString,
    passwordHash: requiredString,
    mfa: { type: mfaSchema, default: null },
    disabled: { type: Boolean, required: true },
    createdAt: requiredDate,
    updatedAt: requiredDate,
  },
  COMMON,
);
// Emails are stored lower-cased by the account service, so a plain unique index is case-insensitive in effect.
accountSchema.index({ email: 1 }, { unique: true });

const membershipSchema = new Schema<MembershipDocument>(
  {
    tenantId: requiredString,
    accountId: requiredString,
    roles: { type: [String], default: [] },
    createdAt: requiredDate,
  },
  COMMON,
);
membershipSchema.index({ tenantId: 1, accountId: 1 }, { unique: true });
membershipSchema.index({ accountId: 1 });

const roleSchema = new Schema<RoleDocument>(
  { _id: stringId, tenantId: requiredString, name: requiredString, permissions: requiredString, createdAt: requiredDate },
  COMMON,
);
roleSchema.index({ tenantId: 1, name: 1 }, { unique: true });

const groupSchema = new Schema<GroupDocument>(
  {
    _id: stringId,
    tenantId: requiredString,
    name: requiredString,
    memberIds: { type: [String], default: [] },
    roleNames: { type: [String], default: [] },
    createdAt: requiredDate,
  },
  COMMON,
);
groupSchema.index({ tenantId: 1, name: 1 }, { unique: true });
groupSchema.index({ tenantId: 1, memberIds: 1 });

const clientSchema = new Schema<ClientDocument>(
  { _id: stringId, tenantId: nullableString, metadata: requiredString, createdAt: requiredDate },
  COMMON,
);
// A company's clients, listed in client id order (admin API).
clientSchema.index({ tenantId: 1, _id: 1 });

const resourceServerSchema = new Schema<ResourceServerDocument>(
  {
    _id: stringId,
    tenantId: nullableString,
    scopes: { type: [String], default: [] },
    jwtAccessTokens: { type: Boolean, required: true },
    accessTokenTtl: { type: Number, default: null },
    signingAlg: { type: String, enum: ['ES256', 'RS256', 'EdDSA', null], default: null },
    createdAt: requiredDate,
  },
  COMMON,
);

const keyMaterialSchema = new Schema<KeyMaterialDocument>(
  { _id: stringId, jwks: { type: Schema.Types.Mixed, required: true }, cookieKeys: { type: [String], default: [] } },
  COMMON,
);

const signingKeySchema = new Schema<SigningKeyDocument>(
  {
    _id: stringId,
    alg: { type: String, enum: ['ES256', 'RS256', 'EdDSA'], required: true },
    encryptedJwk: requiredString,
    activeFrom: requiredDate,
    createdAt: requiredDate,
  },
  COMMON,
);

const auditSchema = new Schema<AuditDocument>(
  {
    chain: requiredString,
    seq: { type: Number, required: true },
    at: requiredDate,
    type: requiredString,
    actor: nullableString,
    subject: nullableString,
    resource: nullableString,
    ip: nullableString,
    userAgent: nullableString,
    details: requiredString,
    prevHash: requiredString,
    hash: requiredString,
  },
  COMMON,
);
// A unique (chain, seq) is what keeps a chain from forking (audit-repository.ts); it also serves reading a chain
// in either order. The other two serve the queries by subject and by resource, newest first.
auditSchema.index({ chain: 1, seq: 1 }, { unique: true });
auditSchema.index({ chain: 1, subject: 1, seq: -1 });
auditSchema.index({ chain: 1, resource: 1, seq: -1 });

const artifactSchema = new Schema<ArtifactDocument>(
  {
    _id: stringId,
    model: requiredString,
    artifactId: requiredString,
    payload: requiredString,
    grantId: nullableString,
    uid: nullableString,
    userCode: nullableString,
    accountId: nullableString,
    expiresAt: { type: Date, default: null },
    consumedAt: { type: Date, default: null },
  },
  COMMON,
);
// Every lookup names the model, so each secondary index leads with it.
artifactSchema.index({ model: 1, grantId: 1 });
artifactSchema.index({ model: 1, uid: 1 });
artifactSchema.index({ model: 1, userCode: 1 });
artifactSchema.index({ model: 1, accountId: 1 });
// MongoDB deletes a document once its expiresAt has passed (checked about once a minute); documents whose
// expiresAt is null are never deleted. Reads filter on expiresAt too, so an expired artifact is gone at once.
artifactSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export interface MongoModels {
  tenants: Model<TenantDocument>;
  accounts: Model<AccountDocument>;
  memberships: Model<MembershipDocument>;
  roles: Model<RoleDocument>;
  groups: Model<GroupDocument>;
  clients: Model<ClientDocument>;
  resourceServers: Model<ResourceServerDocument>;
  keyMaterial: Model<KeyMaterialDocument>;
  signingKeys: Model<SigningKeyDocument>;
  audit: Model<AuditDocument>;
  artifacts: Model<ArtifactDocument>;
}

/** Compiles the models on one connection (never on mongoose's global one), with explicit collection names. */
export function defineModels(connection: Connection): MongoModels {
  return {
    tenants: connection.model<TenantDocument>('Tenant', tenantSchema, 'tenants'),
    accounts: connection.model<AccountDocument>('Account', accountSchema, 'accounts'),
    memberships: connection.model<MembershipDocument>('Membership', membershipSchema, 'memberships'),
    roles: connection.model<RoleDocument>('Role', roleSchema, 'roles'),
    groups: connection.model<GroupDocument>('Group', groupSchema, 'groups'),
    clients: connection.model<ClientDocument>('Client', clientSchema, 'clients'),
    resourceServers: connection.model<ResourceServerDocument>(
      'ResourceServer',
      resourceServerSchema,
      'resource_servers',
    ),
    keyMaterial: connection.model<KeyMaterialDocument>('KeyMaterial', keyMaterialSchema, 'key_material'),
    signingKeys: connection.model<SigningKeyDocument>(SIGNING_KEY_MODEL, signingKeySchema, 'signing_keys'),
    audit: connection.model<AuditDocument>('AuditEvent', auditSchema, 'audit_events'),
    artifacts: connection.model<ArtifactDocument>('OidcArtifact', artifactSchema, 'oidc_artifacts'),
  };
}
