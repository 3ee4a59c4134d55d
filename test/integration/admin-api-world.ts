import { randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { cliAgainst } from '../support/cli.js';
import { PASSWORD } from '../support/fixtures.js';
import { discover } from '../support/relying-party.js';
import type { TestServer } from '../support/test-server.js';

/** A company set up through the bootstrap command, with an admin client's token and the admin's account. */
export interface AdminCompany {
  id: string;
  slug: string;
  adminEmail: string;
  adminId: string;
  clientId: string;
  clientSecret: string;
  resource: string;
  /** A client_credentials token with admin:read admin:write. */
  token: string;
}

export async function bootstrapCompany(server: TestServer, name: string): Promise<AdminCompany> {
  const slug = `${name}-${randomUUID().slice(0, 8)}`;
  const company = await server.tessera.tenants.create(slug, name);
  const adminEmail = `admin-${slug}@example.com`;
  const result = await cliAgainst(server.cliEnv)(`admin bootstrap --tenant ${slug} --email ${adminEmail} --password-stdin`, PASSWORD);
  if (result.code !== 0) throw new Error(`bootstrap failed: ${result.stderr}`);
  const { client, resource, admin } = result.json;
  const token = await machineToken(server, client.client_id, client.client_secret, resource, 'admin:read admin:write');
  return { id: company.id, slug, adminEmail, adminId: admin.id, clientId: client.client_id, clientSecret: client.client_secret, resource, token };
}

/** A real client_credentials grant at the token endpoint. */
export async function machineToken(server: TestServer, clientId: string, secret: string, resource: string, scope: string): Promise<string> {
  const config = await discover(server.issuer, clientId, secret);
  return (await oidc.clientCredentialsGrant(config, { scope, resource })).access_token;
}

export interface ApiAnswer {
  status: number;
  type: string;
  body: any;
}

/** One admin API request; `body` objects are sent as JSON, strings as they are. */
export function adminClient(server: TestServer) {
  return async (method: string, path: string, token: string | undefined, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(`${server.issuer}/admin/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
  };
}
