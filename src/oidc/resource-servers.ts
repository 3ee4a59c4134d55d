import { errors, type Client, type ResourceServer } from 'oidc-provider';
import type { RegistryVersion, ResourceServerRecord, ResourceServerRepository } from '../storage/ports.js';
import { allowedApiScopes } from './client-metadata.js';
import { RegistryMemo } from './registry-memo.js';
import { translateOutage } from './store-errors.js';

/**
 * RFC 8707 resource indicators: a registered API gets access tokens for its own audience, as RFC 9068 JWTs
 * when it is registered with `jwtAccessTokens`, so gateways can validate them locally against the JWKS. The JWT
 * carries `typ: at+jwt`, `aud`, `scope`, `client_id`, `sub` (set by oidc-provider) and `company` (token-claims.ts).
 */
export function resourceServerLookup(resourceServers: ResourceServerRepository, defaultTtl: number, registryVersion?: RegistryVersion) {
  const records = new RegistryMemo<ResourceServerRecord>(registryVersion);
  return async function getResourceServerInfo(_ctx: unknown, indicator: string, client: Client): Promise<ResourceServer> {
    const server = records.fresh(indicator) ?? (await translateOutage(() => records.load(indicator, () => resourceServers.find(indicator))));
    if (!server) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
    // The scopes a token for this API may carry: what the API understands, narrowed to what the client may ask.
    const clientScopes = allowedApiScopes(client);
    const scopes = clientScopes ? server.scopes.filter((scope) => clientScopes.has(scope)) : server.scopes;
    return {
      scope: scopes.join(' '),
      audience: server.identifier,
      accessTokenTTL: server.accessTokenTtl ?? defaultTtl,
      accessTokenFormat: server.jwtAccessTokens ? 'jwt' : 'opaque',
      // Each API picks its algorithm (what its gateway verifies); the key ring holds a signing key for each.
      ...(server.jwtAccessTokens ? { jwt: { sign: { alg: server.signingAlg ?? 'ES256' } } } : {}),
    };
  };
}
