import { errors, type ResourceServer } from 'oidc-provider';
import type { ResourceServerRepository } from '../storage/ports.js';

/**
 * RFC 8707 resource indicators: a registered API gets access tokens for its own audience, as RFC 9068 JWTs
 * when it is registered with `jwtAccessTokens`, so gateways can validate them locally against the JWKS.
 */
export function resourceServerLookup(resourceServers: ResourceServerRepository, defaultTtl: number) {
  return async function getResourceServerInfo(_ctx: unknown, indicator: string): Promise<ResourceServer> {
    const server = await resourceServers.find(indicator);
    if (!server) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
    return {
      scope: server.scopes.join(' '),
      audience: server.identifier,
      accessTokenTTL: server.accessTokenTtl ?? defaultTtl,
      accessTokenFormat: server.jwtAccessTokens ? 'jwt' : 'opaque',
      ...(server.jwtAccessTokens ? { jwt: { sign: { alg: 'ES256' } } } : {}),
    };
  };
}
