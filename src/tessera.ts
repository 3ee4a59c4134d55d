import type Koa from 'koa';
import type Provider from 'oidc-provider';
import type { AccountDeletion, AccountService } from './accounts/index.js';
import type { AuditTrail } from './audit/index.js';
import type { ClientService, ResourceServerService } from './clients/index.js';
import type { Config } from './config/index.js';
import type { FieldKey, FieldReencryption } from './crypto/index.js';
import type { SigningKeyRing } from './oidc/key-rotation.js';
import type { Metrics } from './observability/metrics.js';
import type { AccessChanges } from './permissions/index.js';
import type { SessionService } from './sessions/index.js';
import type { Stores } from './storage/index.js';
import type { AccessControlService, TenantService } from './tenants/index.js';

/** Everything the composition root (app.ts, the only file that knows every module) builds from one configuration. */
export interface Tessera {
  config: Config;
  stores: Stores;
  provider: Provider;
  accounts: AccountService;
  tenants: TenantService;
  /** Roles, groups and what they grant in each company. */
  accessControl: AccessControlService;
  /** Access changes that take something away (narrowed role, role or membership removed): they end grants at once. */
  accessChanges: AccessChanges;
  /** Account deletion: disable at once, purge personal data after the retention window. */
  accountDeletion: AccountDeletion;
  clients: ClientService;
  resourceServers: ResourceServerService;
  sessions: SessionService;
  audit: AuditTrail;
  metrics: Metrics;
  http: Koa;
  /** The field encryption keys in force, current first (the key rotation command starts from them). */
  fieldKeys: readonly FieldKey[];
  fieldReencryption: FieldReencryption;
  /** Signing-key rotation (`keys rotate`); keeps the provider's keys current on every instance. */
  signingKeys: SigningKeyRing;
  close(): Promise<void>;
}

export interface TesseraOptions {
  /**
   * Continue moving stored fields to the current field encryption key in the background (the server does; the
   * CLI runs the re-encryption in the foreground when asked instead).
   */
  backgroundReencryption?: boolean;
  /** Purge deleted accounts whose retention window passed, every ACCOUNT_PURGE_INTERVAL (the server does; the CLI has `user purge-due`). */
  accountPurge?: boolean;
  /**
   * The registry to count in. The server passes one it keeps across start-up attempts: each new registry would
   * start another event-loop monitor (prom-client's default metrics), and a failed attempt cannot stop its own.
   */
  metrics?: Metrics;
}
