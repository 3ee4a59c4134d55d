import type { Client } from 'oidc-provider';

/**
 * A client registers one RFC 7591 `scope` list holding both OpenID scopes (openid, email, …) and API scopes
 * (devices:read, …), as with Ory Hydra. oidc-provider only accepts its own scopes in `scope`, and checks API
 * scopes per resource server instead; so the provider sees the API scopes under this extra property.
 */
export const API_SCOPES_PROPERTY = 'tessera_api_scopes';

export function toProviderMetadata(metadata: Record<string, unknown>, oidcScopes: ReadonlySet<string>): Record<string, unknown> {
  if (typeof metadata.scope !== 'string') return metadata;
  const scopes = metadata.scope.split(' ').filter(Boolean);
  const { scope: _registered, ...rest } = metadata;
  const oidc = scopes.filter((scope) => oidcScopes.has(scope));
  return {
    ...rest,
    // An empty `scope` is invalid metadata; a client with API scopes only then simply asks for no OpenID scope.
    ...(oidc.length ? { scope: oidc.join(' ') } : {}),
    [API_SCOPES_PROPERTY]: scopes.filter((scope) => !oidcScopes.has(scope)),
  };
}

/** The API scopes a client may ask for; undefined when it registered no `scope` and so is not limited. */
export function allowedApiScopes(client: Client | undefined): ReadonlySet<string> | undefined {
  const value = client?.metadata()[API_SCOPES_PROPERTY];
  return Array.isArray(value) ? new Set(value.map(String)) : undefined;
}
