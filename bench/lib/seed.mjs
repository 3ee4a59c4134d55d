// Seeds one Tessera data folder through the real composition root (dist/), before its server starts: one company,
// one user (Argon2id at the configured seed parameters), a confidential web client, a machine client and one JWT
// resource server. Returns what the load generator and the baseline need (ids, secrets, keys, the stored hash).
import { randomUUID } from 'node:crypto';
import { createTessera } from '../../dist/src/app.js';
import { loadConfig } from '../../dist/src/config/index.js';
import { createLogger } from '../../dist/src/observability/logger.js';

export const PASSWORD = 'violet tractor harbor 1957';
export const REDIRECT_URI = 'https://rp.example/callback';
export const API = 'https://api.example.com';
export const OTHER_ALG_APIS = { 'https://api-rs256.example.com': 'RS256', 'https://api-eddsa.example.com': 'EdDSA' };
export const WEB_SCOPE = 'openid email profile offline_access devices:read';

/** Seeds the stores named by `env` (DATA_DIR, REDIS_URL, …) and returns the world. */
export async function seedTessera(env) {
  const config = loadConfig(env);
  const tessera = await createTessera(config, createLogger('silent'));
  try {
    const suffix = randomUUID().slice(0, 8);
    const tenant = await tessera.tenants.create(`bench-${suffix}`, 'Bench Inc');
    const email = `ada-${suffix}@example.com`;
    const account = await tessera.accounts.create({ email, name: 'Ada Lovelace', password: PASSWORD });
    await tessera.tenants.addMember(tenant.id, account.id, ['member']);
    await tessera.resourceServers.register({ identifier: API, scopes: 'devices:read devices:write', jwtAccessTokens: true });
    // The same API under the other two signing algorithms Tessera offers (`resource create --alg`), for scenario 2.
    for (const [identifier, signingAlg] of Object.entries(OTHER_ALG_APIS)) {
      await tessera.resourceServers.register({ identifier, scopes: 'devices:read devices:write', jwtAccessTokens: true, signingAlg });
    }
    const web = await tessera.clients.register({
      client_id: `web-${suffix}`,
      client_name: 'Bench Web App',
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: WEB_SCOPE,
    });
    const service = await tessera.clients.register({
      client_id: `svc-${suffix}`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'devices:read',
    });
    const stored = await tessera.stores.accounts.findByEmail(email);
    const keys = await tessera.stores.keyMaterial.load();
    return {
      email,
      password: PASSWORD,
      accountId: account.id,
      // The company Ada's tokens name (`company`, src/oidc/token-claims.ts); the baseline adds the same claim.
      tenantId: tenant.id,
      passwordHash: stored.passwordHash,
      web: { clientId: web.clientId, clientSecret: String(web.metadata.client_secret) },
      service: { clientId: service.clientId, clientSecret: String(service.metadata.client_secret) },
      keys: keys ?? config.keys,
      argon2: config.argon2,
    };
  } finally {
    await tessera.close();
  }
}
