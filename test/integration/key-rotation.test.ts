import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { signedTokenRetention } from '../../src/oidc/key-rotation.js';
import { cliAgainst } from '../support/cli.js';
import { API, seedWorld, type World } from '../support/fixtures.js';
import { decodeJwt, fetchJwks, verifyJwt } from '../support/jwt.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const LEAD_TIME_SECONDS = 3;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `keys rotate` while two instances serve from one store: the new key shows in both JWKS at once, tokens switch to
 * it only after the lead time, and tokens signed by the old key keep verifying.
 */
describe('signing-key rotation', () => {
  let first: TestServer;
  let second: TestServer;
  let world: World;

  beforeAll(async () => {
    const env = { KEY_ROTATION_LEAD_TIME: String(LEAD_TIME_SECONDS) };
    first = await startTestServer({ env });
    // A second instance on the same store (the CLI is a third process-like user of it).
    second = await startTestServer({ env, dataDir: first.dataDir });
    world = await seedWorld(first.tessera);
  });
  afterAll(async () => {
    await second.stop();
    await first.destroy();
  });

  it('publishes the new key at once, signs with it after the lead time, and keeps old tokens valid', async () => {
    const service = await discover(first.issuer, world.service.clientId, world.service.clientSecret);
    const tokenKid = async () => decodeJwt((await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API })).access_token).header.kid as string;
    const before = await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API });
    const oldKid = decodeJwt(before.access_token).header.kid;
    const etagBefore = (await fetch(`${first.issuer}/jwks`)).headers.get('etag');

    const rotated = await cliAgainst(first.cliEnv)('keys rotate');
    expect(rotated.code).toBe(0);
    const all = rotated.json.added as Array<{ kid: string; alg: string; signsFrom: string }>;
    expect(all.map((key) => key.alg).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
    const added = all.find((key) => key.alg === 'ES256');
    const signsFrom = Date.parse(added!.signsFrom);

    // Both running instances publish them without a restart…
    for (const instance of [first, second]) {
      await waitFor(`the new keys in ${instance.issuer}/jwks`, async () => {
        const published = new Set((await fetchJwks(instance.issuer)).map((key) => key.kid));
        return all.every((key) => published.has(key.kid)) ? true : undefined;
      });
    }
    // A cache revalidating its copy gets the new set, not a 304.
    expect((await fetch(`${first.issuer}/jwks`)).headers.get('etag')).not.toBe(etagBefore);
    // …while still signing with the old key, as long as the lead time runs.
    const duringLead = await tokenKid();
    if (Date.now() < signsFrom) expect(duringLead).toBe(oldKid);

    const switchedAt = await waitFor('tokens signed with the new key', async () => ((await tokenKid()) === added!.kid ? Date.now() : undefined));
    expect(switchedAt).toBeGreaterThanOrEqual(signsFrom);
    expect(switchedAt - signsFrom).toBeLessThan(5_000);

    // The old key stays published: the token it signed before the rotation still verifies.
    const jwks = await fetchJwks(first.issuer);
    expect(jwks.map((key) => key.kid)).toEqual(expect.arrayContaining([oldKid, added!.kid]));
    expect(verifyJwt(before.access_token, jwks).payload.aud).toBe(API);
    // And a token from the new key verifies against the second instance's JWKS too.
    const after = await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API });
    expect(verifyJwt(after.access_token, await fetchJwks(second.issuer)).header.kid).toBe(added!.kid);
    // ID tokens (RS256) moved to the new RS256 key as well.
    const web = await discover(first.issuer, world.web.clientId, world.web.clientSecret);
    const idToken = (await signInForTokens(web, world)).id_token!;
    expect(verifyJwt(idToken, await fetchJwks(first.issuer)).header).toMatchObject({ alg: 'RS256', kid: all.find((key) => key.alg === 'RS256')!.kid });
  }, 60_000);

  it('keeps retired keys as long as the longest token any resource server is given', async () => {
    const retention = signedTokenRetention(first.tessera.config.ttl, first.tessera.stores.resourceServers);
    expect(await retention()).toBe(first.tessera.config.ttl.idToken);
    const created = await cliAgainst(first.cliEnv)('resource create --id https://long-lived.example --scopes a --jwt --ttl 90000');
    expect(created.code).toBe(0);
    expect(await retention()).toBe(90_000);
  });

  it('refuses an unknown algorithm', async () => {
    const result = await cliAgainst(first.cliEnv)('keys rotate --alg HS256');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--alg takes one of ES256, RS256, EdDSA/);
  });
});
