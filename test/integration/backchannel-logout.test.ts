import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, verify } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { Browser, readForm } from '../support/browser.js';
import { REDIRECT_URI, seedWorld, type World } from '../support/fixtures.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** OpenID Connect Back-Channel Logout: signing out tells each registered client, server to server. */
describe('back-channel logout', () => {
  let server: TestServer;
  let world: World;
  let receiver: Server;
  let receiverUrl: string;
  const received: Array<{ contentType: string; body: URLSearchParams }> = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ contentType: String(request.headers['content-type']), body: new URLSearchParams(body) });
        response.statusCode = 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/backchannel-logout`;
    server = await startTestServer();
    world = await seedWorld(server.tessera);
  });
  afterAll(async () => {
    await server.destroy();
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function registerClient(extra: Record<string, unknown>) {
    const client = await server.tessera.clients.register({
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: ['https://rp.example/logged-out'],
      grant_types: ['authorization_code'],
      scope: 'openid email',
      ...extra,
    });
    return discover(server.issuer, client.clientId, String(client.metadata.client_secret));
  }

  async function signOut(browser: Browser, config: oidc.Configuration, idToken: string) {
    const confirm = await browser.get(oidc.buildEndSessionUrl(config, { id_token_hint: idToken }).toString());
    const form = readForm(confirm.body, /\/session\/end\/confirm$/);
    await browser.post(new URL(form.action, server.issuer).toString(), { ...form.fields, logout: 'yes' });
  }

  it('posts a signed logout token naming the user and the session to the registered URI', async () => {
    received.length = 0;
    const app = await registerClient({ backchannel_logout_uri: receiverUrl, backchannel_logout_session_required: true });
    const other = await registerClient({});
    const browser = new Browser();
    const tokens = await signInForTokens(app, world, { scope: 'openid email' }, browser);
    // A second app in the same browser session, without a back-channel URI: signed out too, but not called.
    await signInForTokens(other, world, { scope: 'openid email' }, browser);
    const idClaims = tokens.claims()!;

    await signOut(browser, app, tokens.id_token!);

    expect(received).toHaveLength(1);
    expect(received[0]!.contentType).toBe('application/x-www-form-urlencoded');
    const logoutToken = received[0]!.body.get('logout_token')!;
    const [header, payload] = logoutToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header.typ).toBe('logout+jwt');
    expect(payload).toMatchObject({
      iss: server.issuer,
      aud: app.clientMetadata().client_id,
      sub: world.accountId,
      sid: idClaims.sid,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    expect(payload.nonce).toBeUndefined();
    // Signed with a key the JWKS publishes, as the client will check.
    const jwks = (await (await fetch(new URL('/jwks', server.issuer))).json()) as { keys: Array<Record<string, string>> };
    const jwk = jwks.keys.find((key) => key.kid === header.kid)!;
    expect(jwk).toBeDefined();
    const [encodedHeader, encodedPayload, signature] = logoutToken.split('.') as [string, string, string];
    const hash = header.alg === 'EdDSA' ? null : `sha${String(header.alg).slice(2)}`;
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    const options = header.alg.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
    expect(verify(hash, Buffer.from(`${encodedHeader}.${encodedPayload}`), options, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  it('tells the app when Tessera ends the session itself (account page, password change, disabled account)', async () => {
    const app = await registerClient({ backchannel_logout_uri: receiverUrl, backchannel_logout_session_required: true });
    const tokens = await signInForTokens(app, world, { scope: 'openid email' }, new Browser());
    received.length = 0;

    expect(await server.tessera.sessions.revokeAll(world.accountId)).toBeGreaterThanOrEqual(1);

    expect(received).toHaveLength(1);
    const payload = JSON.parse(Buffer.from(received[0]!.body.get('logout_token')!.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({
      aud: app.clientMetadata().client_id,
      sub: world.accountId,
      sid: tokens.claims()!.sid,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
  });

  it('advertises back-channel logout in discovery', async () => {
    const discovery = (await (await fetch(new URL('/.well-known/openid-configuration', server.issuer))).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ backchannel_logout_supported: true, backchannel_logout_session_supported: true });
  });
});
