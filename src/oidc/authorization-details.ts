import type { Client, Grant, KoaContextWithOIDC } from 'oidc-provider';
import type { ResourceServerRepository } from '../storage/ports.js';
import type { ActiveCompanies } from './active-company.js';
import { allowedApiScopes } from './client-metadata.js';
import { translateOutage } from './store-errors.js';
import type { PermissionsOf } from './tenancy.js';

/**
 * Marks a grant whose tokens carry the user's resource-specific permissions. oidc-provider computes a token's
 * authorization_details only for grants holding some, so consent adds this one; it never reaches a token.
 */
export const RESOURCE_PERMISSIONS_MARKER = { type: 'tessera_resource_permissions' };

interface TokenLike {
  accountId?: string;
  grantId?: string;
  aud?: string | string[];
}

/**
 * RFC 9396 authorization details for permissions on named resources (`device dev_123: devices:vnc`): a scope the
 * user holds only on some devices is not a token scope, but each such device becomes one detail
 * `{ type: 'device', identifier: 'dev_123', actions: ['devices:vnc'], locations: [<API>] }`, so a gateway can
 * check "may use VNC on device dev_123". Computed afresh at every token issue, like the scopes.
 */
export function resourceAuthorizationDetails(
  companies: ActiveCompanies,
  permissionsOf: PermissionsOf,
  resourceServers: ResourceServerRepository,
) {
  async function forAccessToken(ctx: KoaContextWithOIDC, token: TokenLike, source: { scope?: string } | undefined) {
    const resource = typeof token.aud === 'string' ? token.aud : undefined;
    const grant = ctx.oidc.entities.Grant as Grant | undefined;
    if (!resource || !token.accountId || !grant?.jti) return undefined;
    const accountId = token.accountId;
    const grantId = grant.jti;
    return translateOutage(async () => {
      const [company, server] = await Promise.all([companies.ofGrant(grantId), resourceServers.find(resource)]);
      if (!company || !server) return undefined;
      const clientScopes = allowedApiScopes(ctx.oidc.client as Client | undefined);
      const requested = (source?.scope ?? '')
        .split(' ')
        .filter((scope) => server.scopes.includes(scope) && (!clientScopes || clientScopes.has(scope)));
      const details = (await permissionsOf(company, accountId)).authorizationDetails(requested, resource);
      return details.map((detail) => ({ ...detail }));
    });
  }

  return {
    enabled: true,
    // Clients may not ask for details of their own: every detail comes from the user's roles.
    types: {},
    authorizationDetailsForGrantSource: async (_ctx: KoaContextWithOIDC, _source: unknown) => [RESOURCE_PERMISSIONS_MARKER],
    authorizationDetailsForAccessToken: forAccessToken,
    authorizationDetailsForIntrospection: async (_ctx: KoaContextWithOIDC, token: { rar?: unknown }) => token.rar,
  };
}
