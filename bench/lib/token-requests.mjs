// Token endpoint requests as the harness sends them: one-off (fetch) and as autocannon request templates.
import { basic } from './flow.mjs';

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
