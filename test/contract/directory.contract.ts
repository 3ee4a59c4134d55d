import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../src/shared/errors.js';
import type { Stores } from '../../src/storage/ports.js';

export type DirectoryStores = Pick<
  Stores,
  'tenants' | 'accounts' | 'memberships' | 'clients' | 'resourceServers' | 'keyMaterial'
>;

export interface DirectoryHarness {
  stores: DirectoryStores;
  close(): Promise<void>;
}

const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** The behaviour every adapter for the long-lived records (companies, accounts, clients, …) must show. */
export function describeDirectoryContract(adapter: string, open: () => Promise<DirectoryHarness>): void {
  describe(`directory and registry contract: ${adapter}`, () => {
    let stores: DirectoryStores;
    const opened: DirectoryHarness[] = [];

    beforeEach(async () => {
      const harness = await open();
      opened.push(harness);
      stores = harness.stores;
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
    });

    const newTenant = () => ({
      id: randomUUID(),
      slug: `t-${randomUUID().slice(0, 8)}`,
      name: 'Acme',
      mfaRequired: false,
      createdAt: at(Date.now()),
    });
    const newAccount = () => {
      const now = at(Date.now());
      return {
        id: randomUUID(),
        email: `${randomUUID()}@example.com`,
        name: 'Ada',
        passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
        mfa: null,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      };
    };

    it('creates and finds companies by id and slug; slugs are unique', async () => {
      const tenant = newTenant();
      await stores.tenants.create(tenant);
      expect(await stores.tenants.findById(tenant.id)).toEqual(tenant);
      expect(await stores.tenants.findBySlug(tenant.slug)).toEqual(tenant);
      expect(await stores.tenants.findBySlug('missing-slug')).toBeNull();
      await expect(stores.tenants.create({ ...tenant, id: randomUUID() })).rejects.toBeInstanceOf(ConflictError);
      const updated = { ...tenant, name: 'Acme Europe', mfaRequired: true };
      await stores.tenants.update(updated);
      expect(await stores.tenants.findBySlug(tenant.slug)).toEqual(updated);
    });

    it('lists companies by slug, page after page', async () => {
      const created = [newTenant(), newTenant(), newTenant()];
      for (const tenant of created) await stores.tenants.create(tenant);
      const slugs: string[] = [];
      let afterSlug: string | undefined;
      for (;;) {
        const page = await stores.tenants.list({ afterSlug, limit: 2 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        slugs.push(...page.map((tenant) => tenant.slug));
        afterSlug = page[page.length - 1]!.slug;
      }
      expect(slugs).toEqual([...slugs].sort());
      expect(slugs).toEqual(expect.arrayContaining(created.map((tenant) => tenant.slug)));
      expect(await stores.tenants.list({ afterSlug: created.map((tenant) => tenant.slug).sort().at(-1), limit: 1000 })).not.toContainEqual(created[0]);
    });

    it('creates, finds and updates accounts; emails are unique', async () => {
      const account = newAccount();
      await stores.accounts.create(account);
      expect(await stores.accounts.findById(account.id)).toEqual(account);
      expect(await stores.accounts.findByEmail(account.email)).toEqual(account);
      await expect(stores.accounts.create({ ...account, id: randomUUID() })).rejects.toBeInstanceOf(ConflictError);
      const updated = { ...account, name: null, disabled: true, passwordHash: 'new', updatedAt: at(Date.now() + 5000) };
      await stores.accounts.update(updated);
      expect(await stores.accounts.findById(account.id)).toEqual(updated);
      const enrolled = {
        ...updated,
        mfa: { totpSecret: 'v1.k.iv.ct.tag', recoveryCodeHashes: ['a'.repeat(64), 'b'.repeat(64)], enrolledAt: at(Date.now()) },
      };
      await stores.accounts.update(enrolled);
      expect(await stores.accounts.findByEmail(account.email)).toEqual(enrolled);
    });

    it('treats an operator-looking email as a plain string', async () => {
      const account = newAccount();
      await stores.accounts.create(account);
      const attack = { $ne: null } as unknown as string;
      await expect(stores.accounts.findByEmail(attack)).resolves.toBeNull();
    });

    it('puts, replaces and lists memberships', async () => {
      const [tenant, other, account] = [newTenant(), newTenant(), newAccount()];
      await stores.tenants.create(tenant);
      await stores.tenants.create(other);
      await stores.accounts.create(account);
      const membership = { tenantId: tenant.id, accountId: account.id, roles: ['member'], createdAt: at(Date.now()) };
      await stores.memberships.put(membership);
      await stores.memberships.put({ ...membership, roles: ['admin', 'member'] });
      await stores.memberships.put({ ...membership, tenantId: other.id });
      expect((await stores.memberships.find(tenant.id, account.id))?.roles).toEqual(['admin', 'member']);
      expect(await stores.memberships.find(tenant.id, randomUUID())).toBeNull();
      const listed = await stores.memberships.listForAccount(account.id);
      expect(listed.map((entry) => entry.tenantId).sort()).toEqual([tenant.id, other.id].sort());
    });

    it('lists a company\'s memberships and clients in id order, page after page, and nothing of another company', async () => {
      const [tenant, other] = [newTenant(), newTenant()];
      await stores.tenants.create(tenant);
      await stores.tenants.create(other);
      const accounts = [newAccount(), newAccount(), newAccount()];
      for (const account of accounts) {
        await stores.accounts.create(account);
        await stores.memberships.put({ tenantId: tenant.id, accountId: account.id, roles: [], createdAt: at(Date.now()) });
      }
      await stores.memberships.put({ tenantId: other.id, accountId: accounts[0]!.id, roles: [], createdAt: at(Date.now()) });
      const ids = accounts.map((account) => account.id).sort();
      const first = await stores.memberships.listForTenant(tenant.id, { limit: 2 });
      expect(first.map((entry) => entry.accountId)).toEqual(ids.slice(0, 2));
      const rest = await stores.memberships.listForTenant(tenant.id, { afterAccountId: ids[1], limit: 2 });
      expect(rest.map((entry) => entry.accountId)).toEqual(ids.slice(2));
      expect((await stores.memberships.listForTenant(other.id, { limit: 10 })).map((entry) => entry.accountId)).toEqual([accounts[0]!.id]);

      const clientIds = [`c-${randomUUID()}`, `c-${randomUUID()}`, `c-${randomUUID()}`];
      for (const clientId of clientIds) {
        await stores.clients.create({ clientId, tenantId: tenant.id, metadata: { client_id: clientId }, createdAt: at(Date.now()) });
      }
      await stores.clients.create({ clientId: `c-${randomUUID()}`, tenantId: other.id, metadata: {}, createdAt: at(Date.now()) });
      const sorted = [...clientIds].sort();
      const page = await stores.clients.listForTenant(tenant.id, { limit: 2 });
      expect(page.map((client) => client.clientId)).toEqual(sorted.slice(0, 2));
      const next = await stores.clients.listForTenant(tenant.id, { afterClientId: sorted[1], limit: 2 });
      expect(next.map((client) => client.clientId)).toEqual(sorted.slice(2));
    });

    it('lists a company\'s resource servers in identifier order and deletes them', async () => {
      const [tenant, other] = [newTenant(), newTenant()];
      await stores.tenants.create(tenant);
      await stores.tenants.create(other);
      const identifiers = [0, 1, 2].map(() => `https://${randomUUID()}.example`);
      // One timestamp for every record: the assertion below rebuilds a record, and a second boundary may pass.
      const createdAt = at(Date.now());
      const server = (identifier: string, tenantId: string) => ({
        identifier,
        tenantId,
        scopes: ['a:read'],
        jwtAccessTokens: true,
        accessTokenTtl: null,
        signingAlg: 'ES256' as const,
        createdAt,
      });
      for (const identifier of identifiers) await stores.resourceServers.create(server(identifier, tenant.id));
      await stores.resourceServers.create(server(`https://${randomUUID()}.example`, other.id));
      const sorted = [...identifiers].sort();
      const first = await stores.resourceServers.listForTenant(tenant.id, { limit: 2 });
      expect(first.map((each) => each.identifier)).toEqual(sorted.slice(0, 2));
      expect(first[0]).toEqual(server(sorted[0]!, tenant.id));
      const rest = await stores.resourceServers.listForTenant(tenant.id, { afterIdentifier: sorted[1], limit: 2 });
      expect(rest.map((each) => each.identifier)).toEqual(sorted.slice(2));
      await stores.resourceServers.delete(sorted[0]!);
      expect(await stores.resourceServers.find(sorted[0]!)).toBeNull();
      expect((await stores.resourceServers.listForTenant(tenant.id, { limit: 10 })).map((each) => each.identifier)).toEqual(sorted.slice(1));
      await stores.resourceServers.delete(sorted[0]!);
    });

    it('creates and finds clients; client ids are unique', async () => {
      const clientId = `c-${randomUUID()}`;
      const client = { clientId, tenantId: null, metadata: { client_id: clientId, redirect_uris: ['https://a.example/cb'] }, createdAt: at(Date.now()) };
      await stores.clients.create(client);
      expect(await stores.clients.find(clientId)).toEqual(client);
      expect(await stores.clients.find('missing')).toBeNull();
      await expect(stores.clients.create(client)).rejects.toBeInstanceOf(ConflictError);
    });

    it('updates and deletes clients (RFC 7592), and finds whether any client redirects to an origin', async () => {
      const clientId = `c-${randomUUID()}`;
      const host = `${randomUUID().slice(0, 8)}.example`;
      const metadata = { client_id: clientId, redirect_uris: [`https://${host}/cb`], post_logout_redirect_uris: [`https://other-${host}/out`] };
      await stores.clients.create({ clientId, tenantId: null, metadata, createdAt: at(Date.now()) });
      expect(await stores.clients.hasRedirectUriOrigin(`https://${host}`)).toBe(true);
      // Same host, other scheme or port; a look-alike host; an origin only named as a post-logout URI.
      for (const origin of [`http://${host}`, `https://${host}:8443`, `https://${host}.evil`, `https://other-${host}`]) {
        expect(await stores.clients.hasRedirectUriOrigin(origin)).toBe(false);
      }
      expect(await stores.clients.updateMetadata(clientId, { ...metadata, client_name: 'Renamed' })).toBe(true);
      expect((await stores.clients.find(clientId))?.metadata.client_name).toBe('Renamed');
      expect(await stores.clients.updateMetadata('missing', metadata)).toBe(false);
      await stores.clients.delete(clientId);
      expect(await stores.clients.find(clientId)).toBeNull();
      expect(await stores.clients.hasRedirectUriOrigin(`https://${host}`)).toBe(false);
      await stores.clients.delete(clientId);
    });

    it('creates and finds resource servers', async () => {
      const identifier = `https://api-${randomUUID()}.example`;
      const server = { identifier, tenantId: null, scopes: ['devices:read', 'devices:write'], jwtAccessTokens: true, accessTokenTtl: 300, createdAt: at(Date.now()) };
      await stores.resourceServers.create(server);
      expect(await stores.resourceServers.find(identifier)).toEqual(server);
      await expect(stores.resourceServers.create(server)).rejects.toBeInstanceOf(ConflictError);
    });

    it('keeps the first key material saved', async () => {
      const first = { jwks: { keys: [{ kty: 'EC', kid: 'first' }] }, cookieKeys: ['one'] };
      const second = { jwks: { keys: [{ kty: 'EC', kid: 'second' }] }, cookieKeys: ['two'] };
      const kept = await stores.keyMaterial.saveIfAbsent(first);
      expect(await stores.keyMaterial.saveIfAbsent(second)).toEqual(kept);
      expect(await stores.keyMaterial.load()).toEqual(kept);
    });
  });
}
