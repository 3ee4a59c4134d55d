import { z } from 'zod';
import { SIGNING_ALGORITHMS } from '../crypto/index.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { ADMIN_READ, ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';

const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, 'a scope token');
/** The identifier travels percent-encoded in the path: /resource-servers/https%3A%2F%2Fapi.example. */
const identifierParam = z.strictObject({ identifier: z.url().max(2000) });

/**
 * The company's APIs (RFC 8707 resource servers) and the scopes each understands: register, read. The admin API's
 * own scopes are reserved. Listing and deleting wait for the storage operations.
 */
export function resourceServerRoutes(services: AdminServices): AdminRoute[] {
  return [
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
        const server = await services.resourceServerRecords.find(params.identifier);
        if (!server || server.tenantId !== caller.companyId) throw new NotFoundError('the company has no such resource server');
        return resourceServerView(server);
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
