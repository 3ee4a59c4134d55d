import { z } from 'zod';
import { SIGNING_ALGORITHMS } from '../crypto/index.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { ADMIN_READ, ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { decodeCursor, pageOfFetched, pageQuery } from './pagination.js';

const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, 'a scope token');
/** The identifier travels percent-encoded in the path: /resource-servers/https%3A%2F%2Fapi.example. */
const identifierParam = z.strictObject({ identifier: z.url().max(2000) });

/**
 * The company's APIs (RFC 8707 resource servers) and the scopes each understands: list, register, read, delete.
 * The admin API's own scopes are reserved.
 */
export function resourceServerRoutes(services: AdminServices): AdminRoute[] {
  const find = async (companyId: string, identifier: string) => {
    const server = await services.resourceServerRecords.find(identifier);
    if (!server || server.tenantId !== companyId) throw new NotFoundError('the company has no such resource server');
    return server;
  };
  return [
    companyRoute({
      method: 'get',
      path: '/resource-servers',
      summary: 'The company\'s APIs, by identifier',
      tag: 'resource servers',
      scope: ADMIN_READ,
      query: z.strictObject(pageQuery),
      async handle({ caller, query }) {
        const afterIdentifier = query.cursor === undefined ? undefined : decodeCursor<string>(query.cursor, 'string');
        const servers = await services.resourceServerRecords.listForTenant(caller.companyId, { afterIdentifier, limit: query.limit + 1 });
        const page = pageOfFetched(servers, query.limit, (server) => server.identifier);
        return { items: page.items.map(resourceServerView), next_cursor: page.next_cursor };
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/resource-servers/:identifier',
      summary: 'Delete an API: no token is issued for it any more (tokens already issued live out their lifetime)',
      tag: 'resource servers',
      scope: ADMIN_WRITE,
      params: identifierParam,
      async handle({ caller, params, meta }) {
        const server = await find(caller.companyId, params.identifier);
        await services.resourceServerRecords.delete(server.identifier);
        const before = resourceServerView(server);
        await services.adminAudit.record(caller, { action: 'resource_server.deleted', resource: `resource_server:${server.identifier}`, before }, meta);
        return undefined;
      },
    }),
    companyRoute({
      method: 'post',
      path: '/resource-servers',
      summary: 'Register an API and its scopes',
      tag: 'resource servers',
      scope: ADMIN_WRITE,
      body: z.strictObject({
        identifier: z.url().max(2000),
        scopes: z
          .array(scopeToken.refine((scope) => !scope.startsWith('admin:'), 'admin:* scopes are reserved for the admin API'))
          .min(1)
          .max(100),
        jwt_access_tokens: z.boolean().default(true),
        access_token_ttl: z.number().int().min(30).max(86_400).nullable().default(null),
        signing_alg: z.enum(SIGNING_ALGORITHMS).default('ES256'),
      }),
      successStatus: 201,
      async handle({ caller, body, meta }) {
        if (await services.resourceServerRecords.find(body.identifier)) throw new ConflictError('a resource server with this identifier exists');
        const server = await services.resourceServers.register(
          {
            identifier: body.identifier,
            scopes: body.scopes,
            jwtAccessTokens: body.jwt_access_tokens,
            accessTokenTtl: body.access_token_ttl,
            signingAlg: body.signing_alg,
          },
          caller.companyId,
        );
        const view = resourceServerView(server);
        await services.adminAudit.record(caller, { action: 'resource_server.created', resource: `resource_server:${server.identifier}`, after: view }, meta);
        return view;
      },
    }),
    companyRoute({
      method: 'get',
      path: '/resource-servers/:identifier',
      summary: 'One API of the company',
      tag: 'resource servers',
      scope: ADMIN_READ,
      params: identifierParam,
      async handle({ caller, params }) {
        return resourceServerView(await find(caller.companyId, params.identifier));
      },
    }),
  ];
}

function resourceServerView(server: Awaited<ReturnType<AdminServices['resourceServers']['register']>>) {
  return {
    identifier: server.identifier,
    scopes: server.scopes,
    jwt_access_tokens: server.jwtAccessTokens,
    access_token_ttl: server.accessTokenTtl,
    signing_alg: server.signingAlg ?? 'ES256',
    created_at: server.createdAt,
  };
}
