// Token endpoint requests as the harness sends them: one-off (fetch) and as autocannon request templates.
import { authorize, basic } from './flow.mjs';

export const FORM = 'application/x-www-form-urlencoded';

export function tokenRequest(base, client, body, pathname = '/token') {
  return fetch(`${base}${pathname}`, {
    method: 'POST',
    headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': FORM },
    body,
  });
}

/**
 * A client_credentials request template for a server entry (null when `only` excludes it): an opaque token, or a
 * JWT for `resource`.
 */
export const ccRequest = (resource, { only } = {}) => (entry) => {
  if (only && !only.includes(entry.id)) return null;
  const body = resource ? `grant_type=client_credentials&scope=devices%3Aread&resource=${encodeURIComponent(resource)}` : 'grant_type=client_credentials';
  return { method: 'POST', headers: { authorization: basic(entry.world.service.clientId, entry.world.service.clientSecret), 'content-type': FORM }, body };
};

/**
 * Refresh tokens for scenario 4, each from its own password login (its own session and grant, as real users have),
 * so no grant is shared by the chains. Each autocannon connection then walks a rotation chain: it sends the newest
 * token of a chain and keeps the one it gets back. Runs are fixed request counts, so no answer is ever cut off: a
 * token whose answer was lost would be presented again, which is reuse and revokes the grant.
 */
export async function refreshTokenChains(entry, count) {
  const chains = [];
  const worker = async () => {
    while (chains.length < count) {
      const { tokens } = await authorize(entry.server.base, entry.world, { scope: 'openid email offline_access', prompt: 'consent' });
      chains.push({ token: tokens.refresh_token });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return chains;
}

/**
 * The refresh_token grant as an autocannon request template: it takes a chain from `free`, sends its newest token
 * and puts the chain back with the token it got, so each chain is walked by one request at a time.
 */
export function rotationRequest(entry, free, onFailure) {
  return {
    method: 'POST',
    path: '/token',
    headers: { authorization: basic(entry.world.web.clientId, entry.world.web.clientSecret), 'content-type': FORM },
    setupRequest: (request, context) => {
      const chain = free.shift();
      context.chain = chain;
      // An empty pool must not crash autocannon: the request then fails (400) and is counted as failed.
      return { ...request, body: `grant_type=refresh_token&refresh_token=${chain?.token ?? 'pool-exhausted'}` };
    },
    onResponse: (status, body, context) => {
      if (status !== 200 || !context.chain) return void onFailure();
      context.chain.token = JSON.parse(body).refresh_token;
      free.push(context.chain);
    },
  };
}
