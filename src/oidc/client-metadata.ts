import { errors, type Client, type ClientMetadata } from 'oidc-provider';

/**
 * A client registers one RFC 7591 `scope` list holding both OpenID scopes (openid, email, …) and API scopes
 * (devices:read, …), as with Ory Hydra. oidc-provider only accepts its own scopes in `scope`, and checks API
 * scopes per resource server instead; so the provider sees the API scopes under this extra property.
 */
export const API_SCOPES_PROPERTY = 'tessera_api_scopes';

/** First-party apps may skip the consent page (Keycloak's "consent required: off", Hydra's skip_consent). */
export const SKIP_CONSENT_PROPERTY = 'tessera_skip_consent';

/**
 * The company that owns the client, from its registry record (never from the client's own metadata): handed to the
 * provider with the metadata so the company claim of a machine token needs no second registry read per request.
 */
export const COMPANY_PROPERTY = 'tessera_company';

/** Authentication context classes (NIST SP 800-63B assurance levels): password only, or with a second factor. */
export const ACR_PASSWORD = 'aal1';
export const ACR_MULTI_FACTOR = 'aal2';

export const ACCOUNT_PORTAL_CLIENT_ID = 'tessera-account';

/**
 * The account pages sign the user in through the provider like any app, with response_type=none: they need
 * the browser session, not a token.
 */
export function accountPortalClient(issuer: string): ClientMetadata {
  return {
    client_id: ACCOUNT_PORTAL_CLIENT_ID,
    client_name: 'Your Tessera account',
    token_endpoint_auth_method: 'none',
    grant_types: [],
    response_types: ['none'],
    redirect_uris: [`${issuer}/account`],
    scope: 'openid',
    [SKIP_CONSENT_PROPERTY]: true,
  };
}

export function skipsConsent(client: Client | undefined): boolean {
  return extraProperty(client, SKIP_CONSENT_PROPERTY) === true;
}

/** The metadata the provider sees: API scopes split off `scope`, and the owning company (absent for none). */
export function toProviderMetadata(
  metadata: Record<string, unknown>,
  oidcScopes: ReadonlySet<string>,
  tenantId: string | null = null,
): Record<string, unknown> {
  const { [COMPANY_PROPERTY]: _stored, ...rest } = metadata;
  return withApiScopes(tenantId === null ? rest : { ...rest, [COMPANY_PROPERTY]: tenantId }, oidcScopes);
}

/** The company that owns the client, as the client registry says; undefined for platform and registered clients. */
export function companyOfClient(client: Client | undefined): string | undefined {
  const value = extraProperty(client, COMPANY_PROPERTY);
  return typeof value === 'string' ? value : undefined;
}

function withApiScopes(metadata: Record<string, unknown>, oidcScopes: ReadonlySet<string>): Record<string, unknown> {
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
  const value = extraProperty(client, API_SCOPES_PROPERTY);
  return Array.isArray(value) ? new Set(value.map(String)) : undefined;
}

/**
 * A client that registered itself (RFC 7591) may ask for OpenID scopes only, and never skips consent: API scopes
 * and first-party treatment are an administrator's decision. Recorded with an explicit empty API scope list, since
 * a client without one is not limited (allowedApiScopes).
 */
export function dynamicClientMetadata(payload: Record<string, unknown>): Record<string, unknown> {
  if (payload[SKIP_CONSENT_PROPERTY] === true) {
    throw new errors.InvalidClientMetadata(`${SKIP_CONSENT_PROPERTY} cannot be set through registration`);
  }
  if (payload[COMPANY_PROPERTY] !== undefined) {
    throw new errors.InvalidClientMetadata(`${COMPANY_PROPERTY} cannot be set through registration`);
  }
  const apiScopes = payload[API_SCOPES_PROPERTY];
  if (Array.isArray(apiScopes) ? apiScopes.length > 0 : apiScopes !== undefined) {
    throw new errors.InvalidClientMetadata('API scopes are granted by an administrator, not through registration');
  }
  return { ...payload, [API_SCOPES_PROPERTY]: [] };
}

/**
 * One of our extraClientMetadata properties, read where oidc-provider keeps it: on the Client under its own name.
 * Not through `client.metadata()`, which rebuilds every property in snake case on each call (≈ 8 µs, and the token
 * endpoint asked for it several times per request).
 */
function extraProperty(client: Client | undefined, name: string): unknown {
  return client ? (client as unknown as Record<string, unknown>)[name] : undefined;
}
