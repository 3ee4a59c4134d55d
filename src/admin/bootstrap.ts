import type { Tessera } from '../app.js';
import { ADMIN_API_PATH } from './router.js';
import { ADMIN_PLATFORM, ADMIN_READ, ADMIN_WRITE } from './admin-route.js';
import { ValidationError } from '../shared/errors.js';

/** The role the bootstrap gives the first admin: its permissions become the admin scopes of their tokens. */
export const COMPANY_ADMIN_ROLE = 'company-admin';

export interface AdminBootstrap {
  resource: string;
  token_endpoint: string;
  company: { id: string; slug: string };
  admin: { id: string; email: string; role: string };
  client: { client_id: string; client_secret: string; scope: string };
}

/**
 * Registers the admin API as a resource server (JWT access tokens) with its three scopes, once. Tokens for it are
 * requested with `resource=<issuer>/admin/api/v1`; a user's token carries admin:read / admin:write when their
 * roles in the company grant them, a client's when its registered scope does.
 */
export async function ensureAdminResourceServer(tessera: Tessera): Promise<string> {
  const identifier = `${tessera.config.issuer}${ADMIN_API_PATH}`;
  if (!(await tessera.stores.resourceServers.find(identifier))) {
    await tessera.resourceServers.register({ identifier, scopes: [ADMIN_READ, ADMIN_WRITE, ADMIN_PLATFORM], jwtAccessTokens: true });
  }
  return identifier;
}

/**
 * The way in before any admin exists: the company's admin role (admin:read; admin:write), given to an existing
 * account (or one created with the password given), and a machine client of the company holding both scopes.
 * Its secret is printed once.
 */
export async function bootstrapCompanyAdmin(
  tessera: Tessera,
  input: { tenantSlug: string; email: string; password?: string },
): Promise<AdminBootstrap> {
  const resource = await ensureAdminResourceServer(tessera);
  const company = await tessera.tenants.getBySlug(input.tenantSlug);
  if (!(await tessera.stores.roles.findByName(company.id, COMPANY_ADMIN_ROLE))) {
    await tessera.accessControl.createRole(company.id, COMPANY_ADMIN_ROLE, `${ADMIN_READ}; ${ADMIN_WRITE}`);
  }
  let account = await tessera.accounts.findByEmail(input.email);
  if (!account) {
    if (input.password === undefined) throw new ValidationError('no account with this email: give its password with --password-stdin', 'email');
    account = await tessera.accounts.create({ email: input.email, password: input.password }, { tenantName: company.name });
  }
  if (!(await tessera.stores.memberships.find(company.id, account.id))) await tessera.tenants.addMember(company.id, account.id, []);
  await tessera.accessControl.grantRole(company.id, account.id, COMPANY_ADMIN_ROLE);
  const scope = `${ADMIN_READ} ${ADMIN_WRITE}`;
  const client = await tessera.clients.register(
    { client_name: `${company.name} admin`, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope },
    company.id,
  );
  return {
    resource,
    token_endpoint: `${tessera.config.issuer}/token`,
    company: { id: company.id, slug: company.slug },
    admin: { id: account.id, email: account.email, role: COMPANY_ADMIN_ROLE },
    client: { client_id: client.clientId, client_secret: String(client.metadata.client_secret), scope },
  };
}

/** A platform client holding admin:platform: it creates companies through the API. Its secret is printed once. */
export async function bootstrapPlatformClient(tessera: Tessera): Promise<Omit<AdminBootstrap, 'company' | 'admin'>> {
  const resource = await ensureAdminResourceServer(tessera);
  const client = await tessera.clients.register(
    { client_name: 'Platform operator', grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: ADMIN_PLATFORM },
    null,
  );
  return {
    resource,
    token_endpoint: `${tessera.config.issuer}/token`,
    client: { client_id: client.clientId, client_secret: String(client.metadata.client_secret), scope: ADMIN_PLATFORM },
  };
}
