// Scenarios 1–4, throughput at saturation: discovery and JWKS; client_credentials (opaque and JWT); introspection of
// fresh tokens; refresh-token rotation.
import { basic } from '../lib/flow.mjs';
import { API } from '../lib/seed.mjs';
import { ccRequest, FORM, refreshTokenChains, rotationRequest, tokenRequest } from '../lib/token-requests.mjs';
import { httpScenario } from './http-scenario.mjs';

export async function discovery(bench) {
  await httpScenario(bench, { id: 's1-discovery', group: 1, title: 'GET /.well-known/openid-configuration', requestFor: () => ({ method: 'GET', path: '/.well-known/openid-configuration' }) });
  await httpScenario(bench, { id: 's1-jwks', group: 1, title: 'GET /jwks', requestFor: () => ({ method: 'GET', path: '/jwks' }) });
}

export async function clientCredentials(bench) {
  const cc = (requestFor) => (entry) => {
    const request = requestFor(entry);
    return request && { requests: [{ ...request, path: '/token' }] };
  };
  await httpScenario(bench, { id: 's2-cc-opaque', group: 2, title: 'client_credentials → opaque access token', requestFor: cc(ccRequest(null)) });
  await httpScenario(bench, { id: 's2-cc-jwt-es256', group: 2, title: 'client_credentials → JWT access token, ES256', requestFor: cc(ccRequest(API)) });
  await httpScenario(bench, { id: 's2-cc-jwt-rs256', group: 2, title: 'client_credentials → JWT access token, RS256', requestFor: cc(ccRequest('https://api-rs256.example.com')) });
  await httpScenario(bench, { id: 's2-cc-jwt-eddsa', group: 2, title: 'client_credentials → JWT access token, EdDSA', requestFor: cc(ccRequest('https://api-eddsa.example.com')) });
}

/** `count` fresh opaque tokens from client_credentials, fetched with bounded concurrency. */
async function issueTokens(entry, count) {
  const tokens = [];
  const worker = async () => {
    while (tokens.length < count) {
      const response = await tokenRequest(entry.server.base, entry.world.service, 'grant_type=client_credentials');
      if (response.status !== 200) throw new Error(`token pool: ${response.status}`);
      tokens.push((await response.json()).access_token);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return tokens.slice(0, count);
}

export async function introspection(bench) {
  const { opts, servers } = bench;
  const pools = {};
  for (const entry of servers) pools[entry.id] = await issueTokens(entry, opts.introspectionPool);
  await httpScenario(bench, {
    id: 's3-introspection',
    group: 3,
    title: `POST /token/introspection of fresh opaque tokens (pool of ${opts.introspectionPool} per server)`,
    requestFor: (entry) => {
      let next = 0;
      const pool = pools[entry.id];
      return {
        requests: [
          {
            method: 'POST',
            path: '/token/introspection',
            headers: { authorization: basic(entry.world.service.clientId, entry.world.service.clientSecret), 'content-type': FORM },
            setupRequest: (request) => ({ ...request, body: `token=${pool[next++ % pool.length]}` }),
          },
        ],
        check: (_status, body) => body.includes('"active":true'),
      };
    },
  });
}

export async function refreshRotation(bench) {
  const { opts, servers } = bench;
  const state = {};
  // The warm-up walks chains of its own. oidc-provider's memory adapter (the baseline's store) goes through every
  // unexpired token of a grant each time it saves one to it, so a chain walked during the warm-up would make the
  // baseline's measured runs dearer the longer the warm-up lasted; Tessera's indexes do not cost more per member.
  // Fresh chains for the measured runs give every server the same start, whatever the warm-up's length.
  for (const entry of servers) {
    const chains = await refreshTokenChains(entry, 2 * (opts.connections + 6));
    state[entry.id] = { warmup: chains.slice(0, opts.connections + 6), measured: chains.slice(opts.connections + 6), failed: 0 };
  }
  await httpScenario(bench, {
    id: 's4-refresh',
    group: 4,
    title: 'refresh_token grant with rotation (each request continues its own grant\'s rotation chain)',
    byAmount: true,
    afterRun: (entry) => (state[entry.id].failed ? `  (${state[entry.id].failed} chains broken)` : ''),
    requestFor: (entry, phase) => {
      const pool = state[entry.id];
      const free = pool[phase];
      return { requests: [rotationRequest(entry, free, () => (pool.failed += 1))] };
    },
  });
}
