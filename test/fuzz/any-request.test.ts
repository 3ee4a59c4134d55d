import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { REDIRECT_URI, API } from '../support/fixtures.js';
import { ALWAYS_OK_PATHS, ENDPOINTS } from './support/endpoints.js';
import { budget, expectNoServerError, expectUnharmed, PROPERTY_TIMEOUT_MS, startFuzzTarget, type FuzzTarget } from './support/fuzz-server.js';
import { NOTHING_KNOWN, requestTo, type Knowledge } from './support/requests.js';
import { queryString } from './support/wire-format.js';

/**
 * Property-based fuzzing of every endpoint from the outside: random and malformed requests from a stranger and
 * from a client that holds real credentials. Every answer is a 4xx or the expected success, the server keeps
 * answering, and nothing stored changes.
 */
describe('fuzz: any request to any endpoint', () => {
  let target: FuzzTarget;
  let knowledge: Knowledge;

  beforeAll(async () => {
    target = await startFuzzTarget();
    const { world } = target;
    knowledge = {
      ...NOTHING_KNOWN,
      values: [world.web.clientId, world.spa.clientId, world.service.clientId, world.email, REDIRECT_URI, API, world.accountId, world.tenantSlug],
      credentials: [
        [world.web.clientId, world.web.clientSecret],
        [world.service.clientId, world.service.clientSecret],
        [world.spa.clientId, ''],
      ],
      tokens: [await clientCredentialsToken(target)],
    };
  });
  afterAll(() => target.server.destroy());

  it('answers 200 to a GET of discovery, keys, health and the stylesheet whatever the (valid HTTP) query', async () => {
    const request = fc.record({ path: fc.constantFrom(...ALWAYS_OK_PATHS), query: queryString(['x', 'callback', 'format'], [], { raw: false }) });
    await fc.assert(
      fc.asyncProperty(request, async ({ path, query }) => {
        const response = await target.send({ method: 'GET', target: `${path}${query}`, headers: [] });
        // Past node's 16 KiB limit on the request head, 431 is the right answer.
        expect(query.length > 16_000 ? [200, 431] : [200]).toContain(response.status);
      }),
      budget(150, 3),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('never answers a stranger with a server error', async () => {
    await fc.assert(
      fc.asyncProperty(requestTo(fc.constantFrom(...ENDPOINTS), NOTHING_KNOWN), async (request) => {
        expectNoServerError(request, await target.send(request));
      }),
      budget(1500, 10),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('never answers a client that knows real ids, credentials and a token with a server error', async () => {
    await fc.assert(
      fc.asyncProperty(requestTo(fc.constantFrom(...ENDPOINTS), knowledge), async (request) => {
        expectNoServerError(request, await target.send(request));
      }),
      budget(1500, 10),
    );
  }, PROPERTY_TIMEOUT_MS);

  // What the fuzzer found, kept as plain examples so a regression is named by the failing test.
  it.each([
    ['a method no router knows, on a route that takes others', 'TRACE', '/account/password', 405],
    ['a method no router knows, on a provider route', 'PROPFIND', '/token', 404],
  ])('answers %s with a 4xx, not 501', async (_label, method, path, status) => {
    const response = await target.send({ method, target: path, headers: [] });
    expect(response.status).toBe(status);
  });

  it('answers the resume route with a real client_id but no resume cookie with 400, not 500', async () => {
    const response = await target.send({ method: 'GET', target: `/auth/not-a-uid?client_id=${target.world.web.clientId}`, headers: [] });
    expect(response.status).toBe(400);
  });

  it('is still answering, with every stored record unchanged and no prototype polluted', async () => {
    await expectUnharmed(target);
  });
});

/** A real access token (client credentials, for the API), so token endpoints see a live one among the fuzz. */
async function clientCredentialsToken(target: FuzzTarget): Promise<string> {
  const { world, server } = target;
  const response = await fetch(new URL('/token', server.issuer), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${world.service.clientId}:${world.service.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'devices:read', resource: API }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no client credentials token: ${JSON.stringify(body)}`);
  return body.access_token;
}
