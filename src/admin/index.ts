import type Router from '@koa/router';
import type Provider from 'oidc-provider';
import { AdminAudit } from './admin-audit.js';
import type { AdminRoute } from './admin-route.js';
import { auditEventRoutes } from './audit-events.js';
import { AdminAuthorization } from './authorization.js';
import { clientRoutes } from './clients.js';
import { companyRoutes } from './companies.js';
import type { AdminServices } from './dependencies.js';
import { groupRoutes } from './groups.js';
import { membershipRoutes } from './memberships.js';
import { openApiDocument } from './openapi.js';
import { resourceServerRoutes } from './resource-servers.js';
import { roleRoutes } from './roles.js';
import { ADMIN_API_PATH, adminRouter } from './router.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';

export { AdminAudit } from './admin-audit.js';
export { ADMIN_PLATFORM, ADMIN_READ, ADMIN_WRITE } from './admin-route.js';
export { adminProblemDetails } from './problem.js';
export { ADMIN_API_PATH } from './router.js';
export { bootstrapCompanyAdmin, bootstrapPlatformClient, ensureAdminResourceServer, type AdminBootstrap } from './bootstrap.js';
export type { AdminServices } from './dependencies.js';

/** The admin API's resource indicator: access tokens for it are requested with `resource=<this>`. */
export function adminResourceIdentifier(issuer: string): string {
  return `${issuer}${ADMIN_API_PATH}`;
}

export interface AdminApiOptions {
  issuer: string;
  provider: Provider;
  publishedKeys: () => Array<Record<string, unknown>>;
  services: Omit<AdminServices, 'adminAudit'> & { audit: ConstructorParameters<typeof AdminAudit>[0] };
}

export function adminRoutes(services: AdminServices): AdminRoute[] {
  return [
    ...companyRoutes(services),
    ...userRoutes(services),
    ...membershipRoutes(services),
    ...roleRoutes(services),
    ...groupRoutes(services),
    ...clientRoutes(services),
    ...resourceServerRoutes(services),
    ...sessionRoutes(services),
    ...auditEventRoutes(services),
  ];
}

/** /admin/api/v1: the routes, their authorization and their OpenAPI document, wired to the services. */
export function adminApi(options: AdminApiOptions): Router {
  const { audit, ...rest } = options.services;
  const services: AdminServices = { ...rest, adminAudit: new AdminAudit(audit) };
  const routes = adminRoutes(services);
  const authorization = new AdminAuthorization({
    issuer: options.issuer,
    provider: options.provider,
    publishedKeys: options.publishedKeys,
    clients: services.clientRecords,
    audience: adminResourceIdentifier(options.issuer),
    isActiveMember: async (companyId, accountId) => {
      const membership = await services.memberships.find(companyId, accountId);
      const account = membership ? await services.accounts.findById(accountId) : null;
      return account !== null && !account.disabled;
    },
  });
  return adminRouter(routes, authorization, () => openApiDocument(routes, options.issuer));
}
