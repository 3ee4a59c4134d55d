import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { replaceSigningKeys, publishedKeys } from '../../src/oidc/keystore-swap.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Headers that differ per request whoever answers: left out of the comparison. */
const PER_REQUEST = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

/**
 * Discovery and the JWKS are answered from a copy of oidc-provider's own answer (provider-response-cache.ts):
 * the bytes and headers must be exactly what oidc-provider answers itself (a request with a query string always
 * reaches it), per Host, and a key swap must show at once.
 */
describe('discovery and JWKS kept from oidc-provider', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.destroy());

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end();
    });
  const comparable = (answer: Answer) =>
    Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !PER_REQUEST.has(name)));

  it.each(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/jwks'])(
    'answers %s with the same bytes and headers as oidc-provider, first and later',
    async (path) => {
      const first = await get(path);
      const kept = await get(path);
      const fromProvider = await get(`${path}?fresh=1`);
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toEqual(expect.any(Object));
      for (const answer of [kept, fromProvider]) {
        expect(answer.status).toBe(200);
        expect(answer.body).toBe(first.body);
        expect(comparable(answer)).toEqual(comparable(first));
      }
      // A browser's Origin is echoed by oidc-provider's CORS: such a request is never served from the copy.
      const cors = await get(path, { origin: 'https://rp.example' });
      expect(cors.headers['access-control-allow-origin']).toBe('https://rp.example');
      expect(cors.body).toBe(first.body);
    },
  );

  it('answers another Host as oidc-provider answers that Host', async () => {
    const other = { host: `localhost:${server.port}` };
    await get('/.well-known/openid-configuration');
    await get('/.well-known/openid-configuration', other);
    const kept = await get('/.well-known/openid-configuration', other);
    expect(kept.status).toBe(200);
    expect(kept.body).toBe((await get('/.well-known/openid-configuration?fresh=1', other)).body);
    expect((JSON.parse(kept.body) as { jwks_uri: string }).jwks_uri).toBe(`http://${other.host}/jwks`);
    // Made-up Hosts beyond the kept number are answered by oidc-provider itself, each still with its own URLs.
    for (let i = 0; i < 20; i++) {
      const host = `h${i}.example`;
      for (let twice = 0; twice < 2; twice++) {
        const answer = await get('/.well-known/openid-configuration', { host });
        expect((JSON.parse(answer.body) as { jwks_uri: string }).jwks_uri).toBe(`http://${host}/jwks`);
      }
    }
  });

  it('shows a key swap at the next request, with a new ETag', async () => {
    const before = await get('/jwks');
    expect((await get('/jwks')).body).toBe(before.body);
    const provider = server.tessera.provider;
    const keys = publishedKeys(provider);
    // The private keys are not published; swapping in the same keys in reverse order changes the published set.
    const internals = (await import('oidc-provider/lib/helpers/weak_cache.js')).default(provider) as {
      keystore: Iterable<Record<string, unknown>>;
    };
    replaceSigningKeys(provider, [...internals.keystore].reverse());
    const after = await get('/jwks');
    expect(keys.length).toBeGreaterThan(1);
    expect(JSON.parse(after.body)).toEqual({ keys: [...keys].reverse() });
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((await get('/jwks?fresh=1')).body).toBe(after.body);
  });
});
