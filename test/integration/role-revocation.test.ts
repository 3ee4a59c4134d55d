import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { cliAgainst } from '../support/cli.js';
import { seedWorld, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Taking access away ends the affected grants in that company at once: the refresh token stops working now, not
 * when it expires. Adding access, and changes in another company, leave grants alone.
 */
describe('access removal revokes at once', () => {
  let server: TestServer;
  let cli: ReturnType<typeof cliAgainst>;

  beforeAll(async () => {
    server = await startTestServer();
    cli = cliAgainst(server.cliEnv);
  });
  afterAll(() => server.destroy());

  async function signedIn(world: World, tenant = world.tenantSlug) {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    let refreshToken = (await signInForTokens(web, world, { tenant })).refresh_token!;
    // Refresh tokens rotate: each refresh continues with the new one (reusing the old would revoke the grant).
    const refreshes = async () => {
      try {
        refreshToken = (await oidc.refreshTokenGrant(web, refreshToken)).refresh_token ?? refreshToken;
        return true;
      } catch (error) {
        expect(error).toMatchObject({ error: 'invalid_grant' });
        return false;
      }
    };
    return { refreshes };
  }

  it('a role taken from the user', async () => {
    const world = await seedWorld(server.tessera);
    const { refreshes } = await signedIn(world);
    expect(await refreshes()).toBe(true);
    const result = await cli(`user revoke-role --tenant ${world.tenantSlug} --email ${world.email} --role member`);
    expect(result).toMatchObject({ code: 0, json: { roles: [] } });
    expect(await refreshes()).toBe(false);
  });

  it('a narrowed role, but not a widened one', async () => {
    const world = await seedWorld(server.tessera);
    const { refreshes } = await signedIn(world);
    expect((await cli(`role update --tenant ${world.tenantSlug} --name member --permissions "devices:read; devices:write"`)).code).toBe(0);
    expect(await refreshes()).toBe(true);
    expect((await cli(`role update --tenant ${world.tenantSlug} --name member --permissions devices:write`)).code).toBe(0);
    expect(await refreshes()).toBe(false);
  });

  it('a role taken from a group, and a member taken out of a group', async () => {
    const world = await seedWorld(server.tessera);
    expect((await cli(`group create --tenant ${world.tenantSlug} --name night-shift`)).code).toBe(0);
    expect((await cli(`group add-member --tenant ${world.tenantSlug} --group night-shift --email ${world.email}`)).code).toBe(0);
    expect((await cli(`group add-role --tenant ${world.tenantSlug} --group night-shift --role member`)).code).toBe(0);
    const first = await signedIn(world);
    expect(await first.refreshes()).toBe(true);
    expect((await cli(`group remove-role --tenant ${world.tenantSlug} --group night-shift --role member`)).json.roles).toEqual([]);
    expect(await first.refreshes()).toBe(false);

    const second = await signedIn(world);
    expect(await second.refreshes()).toBe(true);
    expect((await cli(`group remove-member --tenant ${world.tenantSlug} --group night-shift --email ${world.email}`)).json.members).toEqual([]);
    expect(await second.refreshes()).toBe(false);
  });

  it('leaving a company ends the grants there and only there', async () => {
    const world = await seedWorld(server.tessera);
    const other = `globex-${world.tenantSlug.slice(5)}`;
    expect((await cli(`tenant create ${other} --name Globex`)).code).toBe(0);
    expect((await cli(`role create --tenant ${other} --name viewer --permissions devices:read`)).code).toBe(0);
    expect((await cli(`user add-to-tenant --tenant ${other} --email ${world.email} --role viewer`)).code).toBe(0);
    const inAcme = await signedIn(world);
    const inGlobex = await signedIn(world, other);
    expect(await inAcme.refreshes()).toBe(true);

    expect((await cli(`user remove-from-tenant --tenant ${world.tenantSlug} --email ${world.email}`)).code).toBe(0);
    expect(await inAcme.refreshes()).toBe(false);
    expect(await inGlobex.refreshes()).toBe(true);
    const memberships = await server.tessera.tenants.listMemberships(world.accountId);
    expect(memberships.map((membership) => membership.tenantId)).toEqual([(await server.tessera.tenants.getBySlug(other)).id]);
    // A change in Globex does not touch what is left elsewhere; an unknown role is a clear refusal.
    expect((await cli(`user revoke-role --tenant ${other} --email ${world.email} --role nonexistent`)).code).toBe(2);
    expect(await inGlobex.refreshes()).toBe(true);
  });
});
