import type { DatabaseSync } from 'node:sqlite';
import type {
  ClientRecord,
  ClientRepository,
  JwtSigningAlgorithm,
  KeyMaterialRecord,
  KeyMaterialRepository,
  ResourceServerRecord,
  ResourceServerRepository,
  RotatedSigningKeyRecord,
} from '../ports.js';
import { registersRedirectOrigin } from '../client-origins.js';
import { prepared } from './database.js';
import { insertUnique, key } from './directory.js';

/** Clients, resource servers and key material: what the provider itself is configured with. */

type Row = Record<string, string | number | null>;

function toClient(row: Row): ClientRecord {
  return {
    clientId: String(row.client_id),
    tenantId: row.tenant_id === null ? null : String(row.tenant_id),
    metadata: JSON.parse(String(row.metadata)) as Record<string, unknown>,
    createdAt: new Date(Number(row.created_at)),
  };
}

export class SqliteClientRepository implements ClientRepository {
  constructor(private readonly db: DatabaseSync) {}

  async create(client: ClientRecord): Promise<void> {
    insertUnique('a client with this client_id already exists', () =>
      this.db
        .prepare('INSERT INTO clients (client_id, tenant_id, metadata, created_at) VALUES (?, ?, ?, ?)')
        .run(client.clientId, client.tenantId, JSON.stringify(client.metadata), client.createdAt.getTime()),
    );
  }

  async find(clientId: string): Promise<ClientRecord | null> {
    const row = prepared(this.db, 'SELECT * FROM clients WHERE client_id = ?').get(key(clientId)) as Row | undefined;
    return row ? toClient(row) : null;
  }

  async listForTenant(tenantId: string, page: { afterClientId?: string; limit: number }): Promise<ClientRecord[]> {
    const rows = prepared(this.db, 'SELECT * FROM clients WHERE tenant_id = ? AND client_id > ? ORDER BY client_id LIMIT ?').all(
      key(tenantId),
      key(page.afterClientId ?? ''),
      page.limit,
    ) as Row[];
    return rows.map(toClient);
  }

  async updateMetadata(clientId: string, metadata: Record<string, unknown>): Promise<boolean> {
    const result = this.db
      .prepare('UPDATE clients SET metadata = ? WHERE client_id = ?')
      .run(JSON.stringify(metadata), key(clientId));
    return Number(result.changes) > 0;
  }

  async delete(clientId: string): Promise<void> {
    this.db.prepare('DELETE FROM clients WHERE client_id = ?').run(key(clientId));
  }

  async hasRedirectUriOrigin(origin: string): Promise<boolean> {
    // instr() narrows the scan to rows that mention the origin at all; the URL check decides.
    const rows = this.db
      .prepare('SELECT metadata FROM clients WHERE instr(lower(metadata), lower(?)) > 0')
      .all(key(origin)) as Row[];
    return rows.some((row) => registersRedirectOrigin(JSON.parse(String(row.metadata)) as Record<string, unknown>, origin));
  }
}

function toResourceServer(row: Row): ResourceServerRecord {
  return {
    identifier: String(row.identifier),
    tenantId: row.tenant_id === null ? null : String(row.tenant_id),
    scopes: JSON.parse(String(row.scopes)) as string[],
    jwtAccessTokens: row.jwt_access_tokens === 1,
    accessTokenTtl: row.access_token_ttl === null ? null : Number(row.access_token_ttl),
    ...(row.signing_alg === null ? {} : { signingAlg: String(row.signing_alg) as JwtSigningAlgorithm }),
    createdAt: new Date(Number(row.created_at)),
  };
}

export class SqliteResourceServerRepository implements ResourceServerRepository {
  constructor(private readonly db: DatabaseSync) {}

  async create(server: ResourceServerRecord): Promise<void> {
    insertUnique('a resource server with this identifier already exists', () =>
      this.db
        .prepare(
          `INSERT INTO resource_servers (identifier, tenant_id, scopes, jwt_access_tokens, access_token_ttl, signing_alg, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          server.identifier,
          server.tenantId,
          JSON.stringify(server.scopes),
          server.jwtAccessTokens ? 1 : 0,
          server.accessTokenTtl,
          server.signingAlg ?? null,
          server.createdAt.getTime(),
        ),
    );
  }

  async find(identifier: string): Promise<ResourceServerRecord | null> {
    const row = prepared(this.db, 'SELECT * FROM resource_servers WHERE identifier = ?').get(key(identifier)) as
      | Row
      | undefined;
    return row ? toResourceServer(row) : null;
  }

  async listForTenant(tenantId: string, page: { afterIdentifier?: string; limit: number }): Promise<ResourceServerRecord[]> {
    const rows = prepared(this.db, 'SELECT * FROM resource_servers WHERE tenant_id = ? AND identifier > ? ORDER BY identifier LIMIT ?').all(
      key(tenantId),
      key(page.afterIdentifier ?? ''),
      page.limit,
    ) as Row[];
    return rows.map(toResourceServer);
  }

  async delete(identifier: string): Promise<void> {
    this.db.prepare('DELETE FROM resource_servers WHERE identifier = ?').run(key(identifier));
  }

  async longestAccessTokenTtl(): Promise<number | null> {
    const row = prepared(this.db, 'SELECT MAX(access_token_ttl) AS longest FROM resource_servers').get() as Row | undefined;
    return row?.longest === null || row?.longest === undefined ? null : Number(row.longest);
  }
}

export class SqliteKeyMaterialRepository implements KeyMaterialRepository {
  constructor(private readonly db: DatabaseSync) {}

  async load(): Promise<KeyMaterialRecord | null> {
    const row = prepared(this.db, 'SELECT jwks, cookie_keys FROM key_material WHERE id = 1').get() as Row | undefined;
    if (!row) return null;
    return {
      jwks: JSON.parse(String(row.jwks)) as KeyMaterialRecord['jwks'],
      cookieKeys: JSON.parse(String(row.cookie_keys)) as string[],
    };
  }

  async saveIfAbsent(material: KeyMaterialRecord): Promise<KeyMaterialRecord> {
    // Two processes starting at once on a fresh file must end up with the same keys: first writer wins.
    this.db
      .prepare('INSERT INTO key_material (id, jwks, cookie_keys) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING')
      .run(JSON.stringify(material.jwks), JSON.stringify(material.cookieKeys));
    return (await this.load())!;
  }

  async addSigningKey(signingKey: RotatedSigningKeyRecord): Promise<void> {
    insertUnique('a signing key with this kid already exists', () =>
      prepared(this.db, 'INSERT INTO signing_keys (kid, alg, encrypted_jwk, active_from, created_at) VALUES (?, ?, ?, ?, ?)').run(
        signingKey.kid,
        signingKey.alg,
        signingKey.encryptedJwk,
        signingKey.activeFrom.getTime(),
        signingKey.createdAt.getTime(),
      ),
    );
  }

  async listSigningKeys(): Promise<RotatedSigningKeyRecord[]> {
    const rows = prepared(this.db, 'SELECT * FROM signing_keys ORDER BY created_at, kid').all() as Row[];
    return rows.map((row) => ({
      kid: String(row.kid),
      alg: String(row.alg) as JwtSigningAlgorithm,
      encryptedJwk: String(row.encrypted_jwk),
      activeFrom: new Date(Number(row.active_from)),
      createdAt: new Date(Number(row.created_at)),
    }));
  }

  async removeSigningKey(kid: string): Promise<void> {
    prepared(this.db, 'DELETE FROM signing_keys WHERE kid = ?').run(key(kid));
  }
}
