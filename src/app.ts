import {
  AccountDeletion,
  AccountService,
  LoginService,
  LoginThrottle,
  MfaService,
  PasswordHasher,
  PasswordManagement,
  PasswordResetTokens,
  schedulePurge,
  StrengthPasswordPolicy,
} from './accounts/index.js';
import { adminApi } from './admin/index.js';
import { AuditTrail } from './audit/index.js';
import { ClientService, ResourceServerService } from './clients/index.js';
import type { Config, KeyMaterial } from './config/index.js';
import { resolveKeyMaterial } from './crypto/development-keys.js';
import {
  ArtifactReencryptionCheckpoints,
  deriveDevelopmentFieldKey,
  FieldEncryption,
  FieldReencryption,
  parseFieldKeys,
  type FieldKey,
} from './crypto/index.js';
import { createHttpApp } from './http/app.js';
import { RateLimitWindows } from './http/rate-limit-windows.js';
import { companyOfSignIn } from './interactions/company-choice.js';
import { CsrfTokens } from './interactions/csrf.js';
import { PendingLogins } from './interactions/pending-login.js';
import { interactionRoutes } from './interactions/routes.js';
import { createMailer } from './mail/index.js';
import type { Logger } from './observability/logger.js';
import { MeteredAuditRecorder } from './observability/metered-audit.js';
import { meterStores } from './observability/metered-stores.js';
import { Metrics } from './observability/metrics.js';
import { logProviderErrors } from './observability/provider-logging.js';
import { meterTokenIssuance } from './observability/provider-metrics.js';
import { backchannelLogoutNotifier, installFeatureMiddleware, registerTokenExchange } from './oidc/features/index.js';
import { ActiveCompanies, auditTokenEvents, createProvider, INTERACTION_PATH, providerClientValidator } from './oidc/index.js';
import { forwardAuthRoutes, loadRouteRules } from './gateway/index.js';
import { jwksCaching, jwksMaxAgeFor } from './oidc/jwks-caching.js';
import { SigningKeyRing, signedTokenRetention } from './oidc/key-rotation.js';
import { publishedKeys } from './oidc/keystore-swap.js';
import { AccessChanges, AccessRevocation } from './permissions/index.js';
import { PersonalDataExport, selfServiceApi, selfServicePages } from './self-service/index.js';
import { SessionService } from './sessions/index.js';
import { openStores, type Stores } from './storage/index.js';
import { withFieldEncryption } from './storage/field-encrypting-repositories.js';
import type { Tessera, TesseraOptions } from './tessera.js';
import { AccessControlService, TenantService } from './tenants/index.js';

export type { Tessera, TesseraOptions } from './tessera.js';

export async function createTessera(config: Config, logger: Logger, options: TesseraOptions = {}): Promise<Tessera> {
  const metrics = options.metrics ?? new Metrics();
  const stores = meterStores(await openStores(config, logger), metrics);
  try {
    const keys = await resolveKeyMaterial(config, stores.keyMaterial);
    const fieldKeys = config.fieldEncryptionKeys
      ? parseFieldKeys(config.fieldEncryptionKeys)
      : [deriveDevelopmentFieldKey(keys.cookieKeys[0]!)];
    const encryption = new FieldEncryption(fieldKeys);
    // Names and client secrets are encrypted on their way into any adapter, so every service sees plaintext.
    const protectedStores = withFieldEncryption(stores, encryption);
    const tessera = build(config, logger, metrics, protectedStores, keys, { fieldKeys, encryption });
    // Rotated keys are in the provider before the first request, and later rotations arrive without a restart.
    await tessera.signingKeys.watch(tessera.provider);
    if (options.backgroundReencryption !== false) tessera.fieldReencryption.startInBackground();
    if (options.accountPurge !== false) {
      const purge = schedulePurge(tessera.accountDeletion, config.accountPurge.interval, (error) =>
        logger.error({ err: error }, 'account purge failed; retried at the next interval'),
      );
      const close = tessera.close;
      tessera.close = async () => {
        purge.stop();
        await close();
      };
    }
    return tessera;
  } catch (error) {
    await stores.close();
    throw error;
  }
}

function build(
  config: Config,
  logger: Logger,
  metrics: Metrics,
  stores: Stores,
  keys: KeyMaterial,
  { fieldKeys, encryption }: { fieldKeys: FieldKey[]; encryption: FieldEncryption },
): Tessera {
  const hasher = new PasswordHasher(config.argon2);
  const accounts = new AccountService(stores.accounts, hasher, new StrengthPasswordPolicy());
  const tenants = new TenantService(stores.tenants, stores.memberships);
  const accessControl = new AccessControlService(stores.roles, stores.groups, stores.memberships);
  const activeCompanies = new ActiveCompanies(stores.artifacts, { session: config.ttl.session, grant: config.ttl.grant });
  const audit = new AuditTrail(stores.audit);
  // Services record through the metered recorder, so sign-in outcomes and lockouts are counted where they happen.
  const recorder = new MeteredAuditRecorder(audit, metrics);
  const sessions = new SessionService(stores.artifacts, recorder);
  const mfa = new MfaService(stores.accounts, encryption, stores.counters, new URL(config.issuer).host, recorder);
  const throttle = new LoginThrottle(stores.counters);
  const login = new LoginService(accounts, hasher, throttle, mfa, (id) => tenants.requiresMfa(id), recorder, async (accountId, context) =>
    companyOfSignIn(await tenants.companiesOf(accountId), context),
  );
  const revokeAllAccess = (accountId: string) => sessions.revokeEverything(accountId);
  const accountDeletion = new AccountDeletion({
    accounts: stores.accounts,
    deletions: stores.accountDeletions,
    memberships: stores.memberships,
    groups: stores.groups,
    revokeAllAccess,
    audit: recorder,
    retentionSeconds: config.accountPurge.after,
  });
  const accessChanges = new AccessChanges(
    stores.roles,
    stores.groups,
    stores.memberships,
    new AccessRevocation(stores.artifacts, activeCompanies, recorder),
  );
  const passwords = new PasswordManagement({
    accounts,
    confirmPassword: (account, password, meta) => login.reconfirmPassword(account, password, meta),
    resetTokens: new PasswordResetTokens(stores.artifacts, config.passwordResetTtl),
    mailer: createMailer(config, logger),
    audit: recorder,
    revokeAllAccess,
    companyNamesOf: async (accountId) => {
      const memberships = await tenants.listMemberships(accountId);
      const companies = await Promise.all(memberships.map((membership) => stores.tenants.findById(membership.tenantId)));
      return companies.flatMap((company) => (company ? [company.name] : []));
    },
    resetLink: (token) => `${config.issuer}/account/password-reset/confirm?token=${encodeURIComponent(token)}`,
    resetTtlSeconds: config.passwordResetTtl,
    onBackgroundError: (error) => logger.error({ err: error }, 'password reset mail failed'),
  });

  const provider = createProvider({
    dynamicRegistration: config.dynamicRegistration,
    issuer: config.issuer,
    keys,
    ttl: config.ttl,
    trustProxy: config.trustProxy,
    accounts,
    clients: stores.clients,
    resourceServers: stores.resourceServers,
    registryVersion: stores.registryVersion,
    artifacts: stores.artifacts,
    memberships: stores.memberships,
    tenancy: {
      companies: activeCompanies,
      permissionsOf: (tenantId, accountId) => accessControl.permissionsOf(tenantId, accountId),
      companiesOf: (accountId) => tenants.companiesOf(accountId),
    },
  });
  const signingKeys = new SigningKeyRing({
    baseKeys: keys.jwks.keys,
    store: stores.keyMaterial,
    encryption,
    leadTimeSeconds: config.keyRotationLeadTime,
    retentionSeconds: signedTokenRetention(config.ttl, stores.resourceServers),
    logger,
  });
  provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'oidc-provider server error'));
  auditTokenEvents(provider, audit, activeCompanies, (error) => logger.warn({ err: error }, 'could not record a token event'));
  logProviderErrors(provider, logger);
  meterTokenIssuance(provider, metrics);
  installFeatureMiddleware(provider, (origin) => stores.clients.hasRedirectUriOrigin(origin));
  sessions.onSessionEnded(
    backchannelLogoutNotifier(provider, (error, clientId) => logger.warn({ err: error, clientId }, 'back-channel logout failed')),
  );
  registerTokenExchange(provider, {
    resourceServers: stores.resourceServers,
    defaultAccessTokenTtl: config.ttl.accessToken,
    audit: recorder,
    publishedKeys: () => publishedKeys(provider),
  });
  // Every authorization through a session marks it used: the account page shows when and from where.
  provider.on('authorization.success', (ctx) => {
    const session = ctx.oidc.session;
    if (!session?.accountId) return;
    void sessions
      .recordActivity({ uid: session.uid, accountId: session.accountId, exp: session.exp }, ctx.ip, ctx.get('user-agent'))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not record session activity'));
  });

  const fieldReencryption = new FieldReencryption(
    stores.protectedFields,
    encryption,
    new ArtifactReencryptionCheckpoints(stores.artifacts),
    { log: logger },
  );
  const personalData = new PersonalDataExport({
    memberships: stores.memberships,
    tenants: stores.tenants,
    groups: stores.groups,
    sessions,
    audit: (query) => audit.query(query),
  });
  const validateClient = providerClientValidator(provider);
  const clients = new ClientService(stores.clients, validateClient);
  const resourceServers = new ResourceServerService(stores.resourceServers);
  const csrf = new CsrfTokens(keys.cookieKeys[0]!);
  const pending = new PendingLogins(stores.artifacts, encryption, config.ttl.interaction);
  // Rate-limit hits far below a budget are counted here and reach the store every second (and on close).
  const rateLimitWindows = new RateLimitWindows(stores.counters, {
    windowSeconds: config.rateLimits.windowSeconds,
    onFlushError: (error) =>
      logger.warn({ err: error }, 'rate-limit hits not sent to the counters; retried in a second (logged once a window)'),
  });
  const http = createHttpApp({
    issuer: config.issuer,
    forceHttps: config.forceHttps,
    trustProxy: config.trustProxy,
    cookieKeys: keys.cookieKeys,
    logger,
    metrics,
    metricsToken: config.metrics.token,
    maxBodySize: config.limits.maxBodySize,
    rateLimits: config.rateLimits,
    rateLimitWindows,
    provider,
    healthChecks: stores.health,
    routers: [
      jwksCaching(jwksMaxAgeFor(config.keyRotationLeadTime)),
      forwardAuthRoutes({
        issuer: config.issuer,
        provider,
        publishedKeys: () => publishedKeys(provider),
        rules: loadRouteRules(config.forwardAuthRulesFile),
        counters: stores.counters,
      }),
      interactionRoutes({
        provider,
        accounts,
        login,
        mfa,
        pending,
        csrf,
        basePath: INTERACTION_PATH,
        tenants,
        companies: activeCompanies,
        audit: recorder,
      }),
      selfServicePages({
        issuer: config.issuer,
        provider,
        accounts,
        passwords,
        mfa,
        sessions,
        pending,
        counters: stores.counters,
        csrf,
        revokeAllAccess,
        deletion: accountDeletion,
        personalData,
        login,
      }),
      selfServiceApi({ provider, accounts, passwords, sessions, deletion: accountDeletion, personalData, login }),
      adminApi({
        issuer: config.issuer,
        provider,
        publishedKeys: () => publishedKeys(provider),
        services: {
          accounts,
          mfa,
          passwords,
          tenants,
          tenantRecords: stores.tenants,
          memberships: stores.memberships,
          accessControl,
          roleRecords: stores.roles,
          groupRecords: stores.groups,
          accessChanges,
          accountDeletion,
          clients,
          clientRecords: stores.clients,
          validateClient,
          resourceServers,
          resourceServerRecords: stores.resourceServers,
          sessions,
          auditTrail: audit,
          audit: recorder,
        },
      }),
    ],
  });
  return {
    config,
    stores,
    provider,
    accounts,
    tenants,
    accessControl,
    accessChanges,
    accountDeletion,
    clients,
    resourceServers,
    sessions,
    audit,
    metrics,
    http,
    fieldKeys,
    fieldReencryption,
    signingKeys,
    close: async () => {
      signingKeys.stop();
      await fieldReencryption.stop();
      await rateLimitWindows.close();
      await stores.close();
    },
  };
}
