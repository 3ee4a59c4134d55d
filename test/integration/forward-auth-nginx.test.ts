import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as oidc from 'openid-client';
import { DpopKey } from '../support/dpop-proof.js';
import { API, seedWorld, type World } from '../support/fixtures.js';
import { NginxServer } from '../support/nginx-server.js';
import { discover } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The documented nginx configuration, run by a real nginx in front of a tiny upstream, with Tessera as the auth
 * server: the gateway test of 5/7.
 */
describe('nginx auth_request in front of an API, Tessera deciding', () => {
  let tessera: TestServer;
  let world: World;
  let nginx: NginxServer;
  let upstream: Server;
  const seenByUpstream: IncomingHttpHeaders[] = [];
  let token: string;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-nginx-it-'));
    const rulesFile = path.join(dataDir, 'rules.json');
    writeFileSync(
      rulesFile,
      JSON.stringify({
        rules: [
          { method: 'GET', path: '/api/devices/**', scopes: ['devices:read'] },
          { method: '*', path: '/api/devices/**', scopes: ['devices:write'] },
        ],
      }),
    );
    tessera = await startTestServer({ dataDir, env: { FORWARD_AUTH_RULES_FILE: rulesFile } });
    world = await seedWorld(tessera.tessera);
    upstream = createServer((request, response) => {
      seenByUpstream.push(request.headers);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ upstream: true, path: request.url }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    nginx = await NginxServer.start(path.resolve('docs/gateways/nginx.conf'), {
      tesseraPort: tessera.port,
      upstreamPort: (upstream.address() as AddressInfo).port,
    });
    const service = await discover(tessera.issuer, world.service.clientId, world.service.clientSecret);
    token = (await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API })).access_token;
  });
  afterAll(async () => {
    await nginx?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    await tessera.destroy();
  });

  it('answers 401 with Tessera\'s challenge when there is no token, without reaching the upstream', async () => {
    const before = seenByUpstream.length;
    const response = await fetch(`${nginx.url}/api/devices/1`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${tessera.issuer}"`);
    expect(seenByUpstream.length).toBe(before);
  });

  it('answers 403 when the token lacks the scope of the route', async () => {
    const before = seenByUpstream.length;
    const response = await fetch(`${nginx.url}/api/devices/1`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toMatch(/error="insufficient_scope", scope="devices:write"/);
    expect(seenByUpstream.length).toBe(before);
  });

  it('passes a good token through, and the upstream sees who it is (not who the client claims to be)', async () => {
    const response = await fetch(`${nginx.url}/api/devices/1?x=1`, {
      headers: { authorization: `Bearer ${token}`, 'x-auth-subject': 'admin-spoofed-by-client' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ upstream: true, path: '/api/devices/1?x=1' });
    const headers = seenByUpstream.at(-1)!;
    expect(headers['x-auth-subject']).toBe(world.service.clientId);
    expect(headers['x-auth-scopes']).toBe('devices:read');
    expect(headers['x-auth-client-id']).toBe(world.service.clientId);
  });

  it('checks a DPoP-bound token\'s proof against the URL the client called at nginx', async () => {
    const service = await discover(tessera.issuer, world.service.clientId, world.service.clientSecret);
    const pair = await oidc.randomDPoPKeyPair();
    const key = DpopKey.fromCryptoKeyPair(pair);
    const bound = (await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API }, { DPoP: oidc.getDPoPHandle(service, pair) })).access_token;
    const url = `${nginx.url}/api/devices/9`;
    const call = (proofUrl: string) => fetch(url, { headers: { authorization: `DPoP ${bound}`, dpop: key.proof('GET', proofUrl, bound) } });
    expect((await call(url)).status).toBe(200);
    expect(seenByUpstream.at(-1)!['x-auth-subject']).toBe(world.service.clientId);
    const elsewhere = await call(`${tessera.issuer}/api/devices/9`);
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
  });
});
