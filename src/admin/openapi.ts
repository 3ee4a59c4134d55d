import { z } from 'zod';
import { ADMIN_PLATFORM, ADMIN_READ, ADMIN_WRITE, type AdminRoute } from './admin-route.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { ADMIN_API_PATH } from './router.js';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Path and query parameters from the same object schemas that validate them. */
function parametersOf(schema: z.ZodObject<z.ZodRawShape> | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } });

/**
 * The OpenAPI 3.1 document of the admin API, generated from the routes and the zod schemas they validate with
 * (zod 4's JSON Schema output is 2020-12, the dialect OpenAPI 3.1 uses): there is no second description to keep in step.
 */
export function openApiDocument(routes: AdminRoute[], issuer: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const success = route.successStatus ?? 200;
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: `${route.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: route.summary,
      tags: [route.tag],
      security: [{ bearer: [route.scope] }],
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body) } } } } : {}),
      responses: {
        [String(success)]: success === 204 ? { description: 'done' } : { description: 'success', content: { 'application/json': {} } },
        '401': problem('missing, invalid or expired access token'),
        '403': problem('the token lacks the scope, or names no company'),
        '404': problem('no such object in the caller\'s company'),
        '409': problem('conflicts with the current state'),
        '415': problem('the body is not application/json'),
        '422': problem('validation failed; errors names each field'),
        '429': problem('rate limit exceeded'),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Tessera admin API', version: '1' },
    servers: [{ url: `${issuer}${ADMIN_API_PATH}` }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'oauth2',
          description: `Tessera's own access tokens for the resource ${issuer}${ADMIN_API_PATH}`,
          flows: {
            clientCredentials: { tokenUrl: `${issuer}/token`, scopes: scopeDescriptions },
            authorizationCode: { authorizationUrl: `${issuer}/auth`, tokenUrl: `${issuer}/token`, scopes: scopeDescriptions },
          },
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}

const scopeDescriptions = {
  [ADMIN_READ]: 'read the company\'s users, groups, roles, clients, sessions and audit events',
  [ADMIN_WRITE]: 'change them (includes reading)',
  [ADMIN_PLATFORM]: 'create and read companies (platform clients only)',
};
