import type Koa from 'koa';
import type Provider from 'oidc-provider';
import { AccountService, PasswordHasher, StrengthPasswordPolicy } from './accounts/index.js';
import { ClientService, ResourceServerService } from './clients/index.js';
import type { Config, KeyMaterial } from './config/index.js';
import { generateCookieKeys, generateSigningKeySet } from './crypto/key-generation.js';
import { createHttpApp } from './http/app.js';
import { CsrfTokens } from './interactions/csrf.js';
import { interactionRoutes } from './interactions/routes.js';
import type { Logger } from './observability/logger.js';
import { createProvider, INTERACTION_PATH, providerClientValidator } from './oidc/index.js';
import { openStores, type Stores } from './storage/index.js';
import { TenantService } from './tenants/index.js';

/** Everything built from one configuration: the composition root. Only this file knows every module. */
export interface Tessera {
  config: Config;
  stores: Stores;
  provider: Provider;
  accounts: AccountService;
  tenants: TenantService;
  clients: ClientService;
  resourceServers: ResourceServerService;
  http: Koa;
  close(): Promise<void>;
}

export async function createTessera(config: Config, logger: Logger): Promise<Tessera> {
  const stores = await openStores(config);
  try {
    const keys = await resolveKeyMaterial(config, stores);
    const accounts = new AccountService(stores.accounts, new PasswordHasher(), new StrengthPasswordPolicy());
    const provider = createProvider({
      issuer: config.issuer,
      keys,
      ttl: config.ttl,
      trustProxy: config.trustProxy,
      accounts,
      clients: stores.clients,
      resourceServers: stores.resourceServers,
      artifacts: stores.artifacts,
    });
    provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'oidc-provider server error'));
    const http = createHttpApp({
      issuer: config.issuer,
      forceHttps: config.forceHttps,
      trustProxy: config.trustProxy,
      cookieKeys: keys.cookieKeys,
      logger,
      provider,
      healthChecks: stores.health,
      routers: [
        interactionRoutes({ provider, accounts, csrf: new CsrfTokens(keys.cookieKeys[0]!), basePath: INTERACTION_PATH }),
      ],
    });
    return {
      config,
      stores,
      provider,
      accounts,
      tenants: new TenantService(stores.tenants, stores.memberships),
      clients: new ClientService(stores.clients, providerClientValidator(provider)),
      resourceServers: new ResourceServerService(stores.resourceServers),
      http,
      close: () => stores.close(),
    };
  } catch (error) {
    await stores.close();
    throw error;
  }
}

/**
 * Configured keys win. Without them (development only; config refuses this in production) the first start
 * generates keys and keeps them in the store, so restarts keep sessions and tokens valid.
 */
async function resolveKeyMaterial(config: Config, stores: Stores): Promise<KeyMaterial> {
  if (config.keys) return config.keys;
  const stored = await stores.keyMaterial.load();
  if (stored) return stored;
  return stores.keyMaterial.saveIfAbsent({ jwks: generateSigningKeySet(), cookieKeys: generateCookieKeys() });
}
