import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { createTessera, type Tessera } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { OTHER_PROCESS_RECHECK_MS } from '../../src/storage/sqlite/registry-version.js';
import { API, seedWorld, type World } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** A change by another connection shows once the server reads the registry version again. */
const afterRecheck = () => new Promise((resolve) => setTimeout(resolve, OTHER_PROCESS_RECHECK_MS + 50));

/**
 * Client and resource-server lookups reuse what they derived while the registry's version is unchanged
 * (oidc/registry-memo.ts). A change made through this server applies at its very next token request; one made by
 * another process on the same file (the CLI, a second instance), a cascade from a deleted company included, within
 * OTHER_PROCESS_RECHECK_MS.
 */
describe('registry changes reach the token endpoint at once', () => {
  let server: TestServer;
  let world: World;
  // A second Tessera on the same store: its own SQLite connection, as the CLI or another instance would have.
  let other: Tessera;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    other = await createTessera(loadConfig(server.cliEnv), createLogger('silent'));
  });
  afterAll(async () => {
    await other.close();
    await server.destroy();
  });

  const clientCredentials = async (client: { clientId: string; clientSecret: string }, resource?: string) => {
    const response = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(resource ? { resource, scope: 'devices:read' } : {}) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('applies a client secret changed through this server at its next request', async () => {
    expect((await clientCredentials(world.service)).status).toBe(200);
    expect((await clientCredentials(world.service)).status).toBe(200);
    const stored = (await server.tessera.stores.clients.find(world.service.clientId))!;
    const rotated = { ...world.service, clientSecret: 'a-new-secret-that-is-long-enough-0123456789' };
    await server.tessera.stores.clients.updateMetadata(world.service.clientId, { ...stored.metadata, client_secret: rotated.clientSecret });

    const old = await clientCredentials(world.service);
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_client');
    expect((await clientCredentials(rotated)).status).toBe(200);
    world.service = rotated;
  });

  it('applies a client secret changed by another process once the version is read again', async () => {
    expect((await clientCredentials(world.service)).status).toBe(200);
    const stored = (await other.stores.clients.find(world.service.clientId))!;
    const rotated = { ...world.service, clientSecret: 'another-new-secret-that-is-long-enough-9876543210' };
    await other.stores.clients.updateMetadata(world.service.clientId, { ...stored.metadata, client_secret: rotated.clientSecret });
    await afterRecheck();

    const old = await clientCredentials(world.service);
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_client');
    expect((await clientCredentials(rotated)).status).toBe(200);
    world.service = rotated;
  });

  it('refuses a resource server deleted by another process once the version is read again', async () => {
    const issued = await clientCredentials(world.service, API);
    expect(issued.status).toBe(200);
    expect(String(issued.body.access_token).split('.')).toHaveLength(3);
    const kept = (await other.stores.resourceServers.find(API))!;
    await other.stores.resourceServers.delete(API);
    try {
      await afterRecheck();
      const refused = await clientCredentials(world.service, API);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_target');
    } finally {
      await other.stores.resourceServers.create(kept);
    }
    await afterRecheck();
    expect((await clientCredentials(world.service, API)).status).toBe(200);
  });

  it('refuses a client deleted by this server at the next request', async () => {
    const spare = await server.tessera.clients.register({ grant_types: ['client_credentials'], redirect_uris: [], response_types: [] });
    const credentials = { clientId: spare.clientId, clientSecret: String(spare.metadata.client_secret) };
    expect((await clientCredentials(credentials)).status).toBe(200);
    await server.tessera.stores.clients.delete(spare.clientId);
    expect((await clientCredentials(credentials)).status).toBe(401);
  });

  it("refuses a company's clients once the company is deleted straight in the file (a cascade) by another process", async () => {
    const company = await server.tessera.tenants.create(`gone-${Date.now()}`, 'Gone Inc');
    const owned = await server.tessera.clients.register(
      { grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      company.id,
    );
    const credentials = { clientId: owned.clientId, clientSecret: String(owned.metadata.client_secret) };
    expect((await clientCredentials(credentials)).status).toBe(200);
    const file = new DatabaseSync(path.join(server.dataDir, 'tessera.db'));
    try {
      file.exec('PRAGMA foreign_keys = ON');
      file.exec('PRAGMA busy_timeout = 5000');
      file.prepare('DELETE FROM tenants WHERE id = ?').run(company.id);
    } finally {
      file.close();
    }
    await afterRecheck();
    expect((await clientCredentials(credentials)).status).toBe(401);
  });
});
