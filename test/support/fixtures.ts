import { randomUUID } from 'node:crypto';
import type { Tessera } from '../../src/app.js';

export const PASSWORD = 'violet tractor harbor 1957';
export const REDIRECT_URI = 'https://rp.example/callback';
export const API = 'https://api.example.com';

export interface World {
  tenantSlug: string;
  email: string;
  accountId: string;
  /** Confidential web client (client_secret_basic) allowed code + refresh. */
  web: { clientId: string; clientSecret: string };
  /** Public SPA client (no secret, PKCE required). */
  spa: { clientId: string };
  /** Machine client for client_credentials against the API. */
  service: { clientId: string; clientSecret: string };
}

/** One company, one user, the three kinds of client and one JWT resource server, named uniquely per call. */
export async function seedWorld(tessera: Tessera): Promise<World> {
  const suffix = randomUUID().slice(0, 8);
  const tenant = await tessera.tenants.create(`acme-${suffix}`, 'Acme');
  const email = `ada-${suffix}@example.com`;
  const account = await tessera.accounts.create({ email, name: 'Ada Lovelace', password: PASSWORD });
  // API scopes in a user's token come from their roles in the company: members may read devices.
  await tessera.accessControl.createRole(tenant.id, 'member', 'devices:read');
  await tessera.tenants.addMember(tenant.id, account.id, ['member']);
  if (!(await tessera.stores.resourceServers.find(API))) {
    await tessera.resourceServers.register({ identifier: API, scopes: 'devices:read devices:write', jwtAccessTokens: true });
  }
  const web = await tessera.clients.register({
    client_id: `web-${suffix}`,
    client_name: 'Example Web App',
    redirect_uris: [REDIRECT_URI],
    post_logout_redirect_uris: ['https://rp.example/logged-out'],
    grant_types: ['authorization_code', 'refresh_token'],
    scope: 'openid email profile offline_access account devices:read',
  });
  const spa = await tessera.clients.register({
    client_id: `spa-${suffix}`,
    redirect_uris: [REDIRECT_URI],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'none',
    scope: 'openid email offline_access',
  });
  const service = await tessera.clients.register({
    client_id: `svc-${suffix}`,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: 'devices:read',
  });
  return {
    tenantSlug: tenant.slug,
    email,
    accountId: account.id,
    web: { clientId: web.clientId, clientSecret: String(web.metadata.client_secret) },
    spa: { clientId: spa.clientId },
    service: { clientId: service.clientId, clientSecret: String(service.metadata.client_secret) },
  };
}
