import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import * as oidc from 'openid-client';
import { generateSigningKey } from '../../src/crypto/index.js';
import { API, seedWorld, type World } from '../support/fixtures.js';
import { DpopKey } from '../support/dpop-proof.js';
import { decodeJwt } from '../support/jwt.js';
import { discover, signInForTokens } from '../support/relying-party.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const RULES = {
  rules: [
    { method: 'GET', path: '/api/devices/**', scopes: ['devices:read'] },
    { method: '*', path: '/api/devices/**', scopes: ['devices:write'] },
    { method: 'GET', path: '/api/me', scopes: ['email'] },
    { method: 'GET', path: '/api/any-token', scopes: [] },
    { method: 'GET', path: '/api/audience-bound', scopes: [], audience: 'https://other.example' },
  ],
};

/** /forward-auth as gateways call it (nginx, Traefik and Envoy styles), with a rules file. */
describe('forward auth', () => {
  let server: TestServer;
  let world: World;
  let jwt: string;
  let opaque: string;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-fa-'));
    const rulesFile = path.join(dataDir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify(RULES));
    server = await startTestServer({ dataDir, env: { FORWARD_AUTH_RULES_FILE: rulesFile } });
    world = await seedWorld(server.tessera);
    const service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
    jwt = (await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API })).access_token;
    opaque = (await oidc.clientCredentialsGrant(service, {})).access_token;
  });
  afterAll(() => server.destroy());

  const nginxStyle = (token: string | null, method: string, uri: string, extra: Record<string, string> = {}) =>
    fetch(`${server.issuer}/forward-auth`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'x-original-method': method, 'x-original-uri': uri, ...extra },
    });

  it('answers 401 with a bare challenge when there is no token', async () => {
    const response = await nginxStyle(null, 'GET', '/api/devices/1');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${server.issuer}"`);
  });

  it('answers 401 invalid_token for garbage and for a JWT signed by a key that is not ours', async () => {
    const garbage = await nginxStyle('not-a-real-token', 'GET', '/api/devices/1');
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);

    // Same header (our kid) and payload, signed with a stranger's key.
    const { header, payload } = decodeJwt(jwt);
    const strangerKey = createPrivateKey({ key: generateSigningKey('ES256') as never, format: 'jwk' });
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify({ ...payload, scope: 'devices:read devices:write' })).toString('base64url')}`;
    const forged = `${input}.${sign('sha256', Buffer.from(input), { key: strangerKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const response = await nginxStyle(forged, 'POST', '/api/devices/1');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('lets a JWT through with identity headers when its scopes cover the route (nginx headers)', async () => {
    const response = await nginxStyle(jwt, 'GET', '/api/devices/42?verbose=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-auth-subject')).toBe(world.service.clientId);
    expect(response.headers.get('x-auth-client-id')).toBe(world.service.clientId);
    expect(response.headers.get('x-auth-scopes')).toBe('devices:read');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 403 insufficient_scope naming the scope the route needs', async () => {
    const response = await nginxStyle(jwt, 'DELETE', '/api/devices/42');
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${server.issuer}", error="insufficient_scope", scope="devices:write"`);
  });

  it('reads Traefik\'s X-Forwarded-Method/Uri and Envoy\'s appended path', async () => {
    const traefik = await fetch(`${server.issuer}/forward-auth`, {
      headers: { authorization: `Bearer ${jwt}`, 'x-forwarded-method': 'POST', 'x-forwarded-uri': '/api/devices/42' },
    });
    expect(traefik.status).toBe(403);
    const envoy = await fetch(`${server.issuer}/forward-auth/api/devices/42`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(envoy.status).toBe(200);
    const envoyPost = await fetch(`${server.issuer}/forward-auth/api/devices/42`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } });
    expect(envoyPost.status).toBe(403);
  });

  it('refuses routes no rule covers and paths that hide their shape', async () => {
    for (const uri of ['/api/admin', '/api/devices/%2e%2e/admin', '/api/devices/../admin', '/api//devices/1']) {
      const response = await nginxStyle(jwt, 'GET', uri);
      expect({ uri, status: response.status }).toEqual({ uri, status: 403 });
    }
  });

  it('adds the gateway\'s X-Required-Scopes to the rule, never removes from it', async () => {
    expect((await nginxStyle(jwt, 'GET', '/api/devices/1', { 'x-required-scopes': 'devices:write' })).status).toBe(403);
    expect((await nginxStyle(jwt, 'GET', '/api/devices/1', { 'x-required-scopes': '' })).status).toBe(200);
  });

  it('checks the audience a rule names', async () => {
    const response = await nginxStyle(jwt, 'GET', '/api/audience-bound');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token", error_description="the token is not for this audience"/);
  });

  it('validates opaque tokens in the store, and refuses them once revoked', async () => {
    // A machine token without a resource carries no API scope; this route asks for none.
    const allowed = await nginxStyle(opaque, 'GET', '/api/any-token');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('x-auth-subject')).toBe(world.service.clientId);
    const service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
    await oidc.tokenRevocation(service, opaque);
    const response = await nginxStyle(opaque, 'GET', '/api/any-token');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('passes a user\'s subject and company on from an opaque token', async () => {
    const web = await discover(server.issuer, world.web.clientId, world.web.clientSecret);
    const tokens = await signInForTokens(web, world);
    const response = await nginxStyle(tokens.access_token, 'GET', '/api/me');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-auth-subject')).toBe(world.accountId);
    expect(response.headers.get('x-auth-company')).toBe((await server.tessera.tenants.getBySlug(world.tenantSlug)).id);
    expect(response.headers.get('x-auth-scopes')).toContain('email');
  });

  it('answers hostile tokens and URIs with 401 or 403, never an error', async () => {
    const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 300 });
    const part = fc.base64String({ maxLength: 200 }).map((value) => value.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    const json = fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url'));
    const token = fc.oneof(printable, fc.tuple(fc.oneof(part, json), fc.oneof(part, json), part).map((parts) => parts.join('.')));
    const forgedHeader = fc
      .record({ alg: fc.constantFrom('ES256', 'RS256', 'EdDSA', 'none', 'HS256'), typ: fc.constantFrom('at+jwt', 'JWT'), kid: fc.string() })
      .map((header) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${jwt.split('.')[1]}.${jwt.split('.')[2]}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(token, forgedHeader), printable, fc.constantFrom('GET', 'POST', 'get', '*'), async (value, uri, method) => {
        const response = await nginxStyle(value.trim() || 'x', method, uri);
        expect([401, 403]).toContain(response.status);
      }),
      { numRuns: 150 },
    );
  });

  describe('with DPoP-bound tokens (RFC 9449)', () => {
    const API_URL = 'https://api.example.test/api/devices/7';
    let key: DpopKey;
    let bound: string;
    let boundOpaque: string;

    beforeAll(async () => {
      const service = await discover(server.issuer, world.service.clientId, world.service.clientSecret);
      const pair = await oidc.randomDPoPKeyPair();
      key = DpopKey.fromCryptoKeyPair(pair);
      const handle = oidc.getDPoPHandle(service, pair);
      bound = (await oidc.clientCredentialsGrant(service, { scope: 'devices:read', resource: API }, { DPoP: handle })).access_token;
      boundOpaque = (await oidc.clientCredentialsGrant(service, {}, { DPoP: handle })).access_token;
    });

    /** As nginx forwards it: the client's Authorization and DPoP headers, and where the request went. */
    const forwarded = (authorization: string, proof: string | null, method = 'GET', uri = '/api/devices/7?page=2') =>
      fetch(`${server.issuer}/forward-auth`, {
        headers: {
          authorization,
          ...(proof ? { dpop: proof } : {}),
          'x-original-method': method,
          'x-original-uri': uri,
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'api.example.test',
        },
      });

    it('lets a bound token through with a proof by its key for this request, once', async () => {
      expect(decodeJwt(bound).payload.cnf).toEqual({ jkt: key.thumbprint() });
      const proof = key.proof('GET', API_URL, bound);
      const response = await forwarded(`DPoP ${bound}`, proof);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-auth-subject')).toBe(world.service.clientId);
      const replayed = await forwarded(`DPoP ${bound}`, proof);
      expect(replayed.status).toBe(401);
      expect(replayed.headers.get('www-authenticate')).toMatch(/^DPoP realm="[^"]+", error="invalid_dpop_proof", error_description="the proof was used before", algs="/);
      expect((await forwarded(`DPoP ${boundOpaque}`, key.proof('GET', API_URL, boundOpaque), 'GET', '/api/any-token')).status).toBe(401);
      expect((await forwarded(`DPoP ${boundOpaque}`, key.proof('GET', 'https://api.example.test/api/any-token', boundOpaque), 'GET', '/api/any-token')).status).toBe(200);
    });

    it('refuses a bound token used as a plain bearer, without a proof, or with a proof that does not fit', async () => {
      const cases: Array<[string, string | null, string]> = [
        [`Bearer ${bound}`, key.proof('GET', API_URL, bound), 'invalid_token'],
        [`DPoP ${bound}`, null, 'invalid_dpop_proof'],
        [`DPoP ${bound}`, new DpopKey().proof('GET', API_URL, bound), 'invalid_dpop_proof'],
        [`DPoP ${bound}`, key.proof('POST', API_URL, bound), 'invalid_dpop_proof'],
        [`DPoP ${bound}`, key.proof('GET', 'https://elsewhere.example/api/devices/7', bound), 'invalid_dpop_proof'],
        [`DPoP ${bound}`, key.proof('GET', API_URL, jwt), 'invalid_dpop_proof'],
        [`DPoP ${jwt}`, key.proof('GET', API_URL, jwt), 'invalid_token'],
      ];
      for (const [authorization, proof, error] of cases) {
        const response = await forwarded(authorization, proof);
        expect({ authorization: authorization.slice(0, 10), status: response.status, error: /error="([^"]+)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1] }).toEqual({
          authorization: authorization.slice(0, 10),
          status: 401,
          error,
        });
      }
    });
  });
});
