import type { Tessera } from '../../../src/app.js';
import { API, type World } from '../../support/fixtures.js';

/**
 * What was stored before the fuzzing started, read back through the stores: the company, the account (by id and
 * by email), its membership, the clients and the resource server. Comparing two snapshots shows whether any
 * request changed, added to or corrupted the durable records.
 */
export async function snapshotStoredData(tessera: Tessera, world: World) {
  const { stores } = tessera;
  const tenant = await stores.tenants.findBySlug(world.tenantSlug);
  return {
    tenant,
    tenantById: tenant ? await stores.tenants.findById(tenant.id) : null,
    account: await stores.accounts.findById(world.accountId),
    accountByEmail: await stores.accounts.findByEmail(world.email),
    memberships: await stores.memberships.listForAccount(world.accountId),
    clients: await Promise.all([world.web.clientId, world.spa.clientId, world.service.clientId].map((id) => stores.clients.find(id))),
    resourceServer: await stores.resourceServers.find(API),
    keyMaterial: await stores.keyMaterial.load(),
    // Records a polluted prototype or an operator object might have conjured up.
    phantoms: await Promise.all([
      stores.accounts.findByEmail('__proto__'),
      stores.accounts.findById('__proto__'),
      stores.clients.find('__proto__'),
      stores.tenants.findBySlug('__proto__'),
    ]),
  };
}
