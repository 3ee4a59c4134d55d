import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { API, seedWorld, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Refresh rotation, reuse detection, client credentials, introspection and revocation through openid-client. */
describe('tokens', () => {
  let server: TestServer;
  let world: World;
  let web: oidc.Configuration;
  let service: oidc.Configuration;

  beforeAll(async () => {
    server = await startTestServer();
    world = await seedWorld(server.tessera);
    web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
  });
  afterAll(() => server.destroy());

  const introspect = (config: oidc.Configuration, token: string) => oidc.tokenIntrospection(config, token);

  it('rotates the refresh token on every use', async () => {
    const first = await signInForTokens(web, world);
    expect(first.refresh_token).toBeDefined();
    const second = await oidc.refreshTokenGrant(web, first.refresh_token!);
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const third = await oidc.refreshTokenGrant(web, second.refresh_token!);
    expect(third.refresh_token).not.toBe(second.refresh_token);
    expect((await introspect(web, third.access_token)).active).toBe(true);
  });

  it('revokes the whole grant when a rotated refresh token is used again', async () => {
    const first = await signInForTokens(web, world);
    const second = await oidc.refreshTokenGrant(web, first.refresh_token!);
    await expect(oidc.refreshTokenGrant(web, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The thief presented an old token; the legitimate holder's newer tokens die with the grant.
    expect((await introspect(web, second.access_token)).active).toBe(false);
    expect((await introspect(web, second.refresh_token!)).active).toBe(false);
    await expect(oidc.refreshTokenGrant(web, second.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('issues client_credentials tokens: opaque without a resource, RFC 9068 JWT for a resource server', async () => {
    const forApi = await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API });
    expect(forApi.access_token.split('.')).toHaveLength(3);
    const payload = JSON.parse(Buffer.from(forApi.access_token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ aud: API, client_id: world.service.clientId, scope: 'devices:read' });
    const plain = await oidc.clientCredentialsGrant(service, {});
    expect(plain.access_token.split('.')).toHaveLength(1);
    const info = await introspect(service, plain.access_token);
    expect(info).toMatchObject({ active: true, client_id: world.service.clientId, token_type: 'Bearer' });
  });

  it('issues opaque tokens that name their kind and sort in issue order, keeping 256 random bits', async () => {
    const first = (await oidc.clientCredentialsGrant(service, {})).access_token;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = (await oidc.clientCredentialsGrant(service, {})).access_token;
    const signedIn = await signInForTokens(web, world);
    const refresh = signedIn.refresh_token!;
    for (const token of [first, second]) expect(token).toMatch(/^cc_[\w-]{50}$/);
    expect(signedIn.access_token).toMatch(/^at_[\w-]{50}$/);
    expect(refresh).toMatch(/^rt_[\w-]{50}$/);
    expect(second.slice(3) > first.slice(3)).toBe(true);
    expect(refresh.slice(3) > second.slice(3)).toBe(true);
    // Introspected without a hint, each is found as what it is.
    expect(await introspect(service, second)).toMatchObject({ active: true, token_type: 'Bearer' });
    const refreshInfo = await introspect(web, refresh);
    expect(refreshInfo).toMatchObject({ active: true, sub: world.accountId, client_id: world.web.clientId });
  });

  it('never grants client_credentials scopes the client was not registered for', async () => {
    // RFC 6749 §3.3: the server may issue fewer scopes than asked, and says which in `scope`.
    const token = await oidc.clientCredentialsGrant(service, { scope: 'devices:read devices:write', resource: API });
    expect(token.scope).toBe('devices:read');
    const payload = JSON.parse(Buffer.from(token.access_token.split('.')[1]!, 'base64url').toString());
    expect(payload.scope).toBe('devices:read');
  });

  it('introspects: active with its claims for a live token, inactive for garbage', async () => {
    const tokens = await signInForTokens(web, world);
    const info = await introspect(web, tokens.access_token);
    expect(info).toMatchObject({ active: true, sub: world.accountId, client_id: world.web.clientId, iss: server.issuer });
    expect(info.exp! - info.iat!).toBe(600);
    expect((await introspect(web, 'not-a-token')).active).toBe(false);
  });

  it('revokes access and refresh tokens (RFC 7009)', async () => {
    const tokens = await signInForTokens(web, world);
    await oidc.tokenRevocation(web, tokens.access_token);
    expect((await introspect(web, tokens.access_token)).active).toBe(false);
    await oidc.tokenRevocation(web, tokens.refresh_token!);
    await expect(oidc.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('lets a client revoke only its own tokens, and a public client introspect only its own', async () => {
    const tokens = await signInForTokens(web, world);
    await expect(oidc.tokenRevocation(service, tokens.access_token)).rejects.toMatchObject({ error: 'invalid_request' });
    expect((await introspect(web, tokens.access_token)).active).toBe(true);
    // A confidential client (a resource server) may introspect tokens issued to others: that is its job.
    expect((await introspect(service, tokens.access_token)).active).toBe(true);
    const spa = await discover(server.issuer, world.spa.clientId);
    expect((await introspect(spa, tokens.access_token)).active).toBe(false);
  });
});
