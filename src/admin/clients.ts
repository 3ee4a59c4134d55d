import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import type { ClientRecord } from '../storage/ports.js';
import { ADMIN_PLATFORM, ADMIN_READ, ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { decodeCursor, pageOfFetched, pageQuery } from './pagination.js';

const SECRETLESS_AUTH_METHODS = new Set(['none', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth']);
const url = z.url().max(2000);

/** The metadata an admin may set: anything else (client_secret, client_id, jwks_uri, …) is refused by name. */
const metadataFields = {
  client_name: z.string().trim().min(1).max(200),
  redirect_uris: z.array(url).max(20),
  post_logout_redirect_uris: z.array(url).max(20),
  grant_types: z.array(z.enum(['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'])).max(4),
  response_types: z.array(z.enum(['code', 'none'])).max(2),
  scope: z
    .string()
    .max(2000)
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'space-separated scope tokens')
    .refine((scope) => !scope.split(' ').includes(ADMIN_PLATFORM), `a company's client cannot hold ${ADMIN_PLATFORM}`),
  token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'none']),
};
const createBody = z.strictObject(metadataFields).partial().required({ client_name: true });
const updateBody = z.strictObject(metadataFields).partial();
const clientIdParam = z.strictObject({ clientId: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'a client id') });

/** The client as the API shows it: its metadata, never its secret. */
function clientView(client: ClientRecord) {
  const { client_secret: _secret, ...metadata } = client.metadata;
  return { ...metadata, created_at: client.createdAt };
}

/**
 * The company's OAuth clients: list, register, read, update, rotate the secret, delete. A client of another
 * company, or a platform client, is not found. The secret is shown once, at creation and at rotation.
 */
export function clientRoutes(services: AdminServices): AdminRoute[] {
  const find = async (companyId: string, clientId: string) => {
    const client = await services.clientRecords.find(clientId);
    if (!client || client.tenantId !== companyId) throw new NotFoundError('the company has no such client');
    return client;
  };
  return [
    companyRoute({
      method: 'get',
      path: '/clients',
      summary: 'The company\'s clients, by client id (without secrets)',
      tag: 'clients',
      scope: ADMIN_READ,
      query: z.strictObject(pageQuery),
      async handle({ caller, query }) {
        const afterClientId = query.cursor === undefined ? undefined : decodeCursor<string>(query.cursor, 'string');
        const clients = await services.clientRecords.listForTenant(caller.companyId, { afterClientId, limit: query.limit + 1 });
        const page = pageOfFetched(clients, query.limit, (client) => client.clientId);
        return { items: page.items.map(clientView), next_cursor: page.next_cursor };
      },
    }),
    companyRoute({
      method: 'post',
      path: '/clients',
      summary: 'Register a client; the answer holds its secret, shown this once',
      tag: 'clients',
      scope: ADMIN_WRITE,
      body: createBody,
      successStatus: 201,
      async handle({ caller, body, meta }) {
        const client = await services.clients.register({ redirect_uris: [], ...body }, caller.companyId);
        const view = clientView(client);
        await services.adminAudit.record(caller, { action: 'client.created', resource: `client:${client.clientId}`, after: view }, meta);
        return { ...view, ...(client.metadata.client_secret ? { client_secret: client.metadata.client_secret } : {}) };
      },
    }),
    companyRoute({
      method: 'get',
      path: '/clients/:clientId',
      summary: 'One client (without its secret)',
      tag: 'clients',
      scope: ADMIN_READ,
      params: clientIdParam,
      async handle({ caller, params }) {
        return clientView(await find(caller.companyId, params.clientId));
      },
    }),
    companyRoute({
      method: 'patch',
      path: '/clients/:clientId',
      summary: 'Change some of a client\'s metadata',
      tag: 'clients',
      scope: ADMIN_WRITE,
      params: clientIdParam,
      body: updateBody,
      async handle({ caller, params, body, meta }) {
        const client = await find(caller.companyId, params.clientId);
        const metadata: Record<string, unknown> = { ...client.metadata, ...body };
        const authMethod = (metadata.token_endpoint_auth_method as string | undefined) ?? 'client_secret_basic';
        const hadSecret = typeof metadata.client_secret === 'string';
        if (SECRETLESS_AUTH_METHODS.has(authMethod)) delete metadata.client_secret;
        else metadata.client_secret ??= randomBytes(32).toString('base64url');
        // A client that now authenticates with a secret gets one, shown this once like at creation.
        const newSecret = !hadSecret && typeof metadata.client_secret === 'string' ? { client_secret: metadata.client_secret } : {};
        await services.validateClient(metadata);
        if (!(await services.clientRecords.updateMetadata(client.clientId, metadata))) throw new NotFoundError('the company has no such client');
        const after = clientView({ ...client, metadata });
        await services.adminAudit.record(caller, { action: 'client.updated', resource: `client:${client.clientId}`, before: clientView(client), after }, meta);
        return { ...after, ...newSecret };
      },
    }),
    companyRoute({
      method: 'post',
      path: '/clients/:clientId/secret',
      summary: 'Rotate the client\'s secret: the old one stops working at once; the answer holds the new one',
      tag: 'clients',
      scope: ADMIN_WRITE,
      params: clientIdParam,
      async handle({ caller, params, meta }) {
        const client = await find(caller.companyId, params.clientId);
        if (typeof client.metadata.client_secret !== 'string') throw new ConflictError('the client authenticates without a secret');
        const secret = randomBytes(32).toString('base64url');
        await services.clientRecords.updateMetadata(client.clientId, { ...client.metadata, client_secret: secret });
        await services.adminAudit.record(caller, { action: 'client.secret_rotated', resource: `client:${client.clientId}` }, meta);
        return { client_id: client.clientId, client_secret: secret };
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/clients/:clientId',
      summary: 'Delete a client',
      tag: 'clients',
      scope: ADMIN_WRITE,
      params: clientIdParam,
      async handle({ caller, params, meta }) {
        const client = await find(caller.companyId, params.clientId);
        await services.clientRecords.delete(client.clientId);
        await services.adminAudit.record(caller, { action: 'client.deleted', resource: `client:${client.clientId}`, before: clientView(client) }, meta);
        return undefined;
      },
    }),
  ];
}
