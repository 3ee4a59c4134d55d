import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { AccountService } from '../accounts/index.js';
import type { DynamicRegistrationSettings, KeyMaterial, TokenLifetimes } from '../config/index.js';
import { messagesForRequest, SUPPORTED_LOCALES } from '../i18n/index.js';
import { logoutConfirmPage, messagePage } from '../interactions/views/pages.js';
import type { ClientRepository, MembershipRepository, OidcArtifactStore, RegistryVersion, ResourceServerRepository } from '../storage/ports.js';
import { createAdapterClass } from './adapter.js';
import { featureConfiguration, withExchangeClaims } from './features/index.js';
import { ACR_MULTI_FACTOR, ACR_PASSWORD, accountPortalClient, API_SCOPES_PROPERTY, COMPANY_PROPERTY, SKIP_CONSENT_PROPERTY } from './client-metadata.js';
import { accountFinder, CLAIMS_BY_SCOPE } from './find-account.js';
import { resourceServerLookup } from './resource-servers.js';
import { companyClaims } from './token-claims.js';
import { activeCompanyOfToken, companyAwareGrantLoader, narrowedToRoles, type PermissionsOf } from './tenancy.js';
import type { ActiveCompanies } from './active-company.js';
import { resourceAuthorizationDetails } from './authorization-details.js';
import { interactionPolicyWithCompany, type CompanyPromptDependencies } from './company-prompt.js';
import { introspectionAllowed, revocationAllowed } from './token-policies.js';
import { shapeTokenIds } from './token-ids.js';

export interface ProviderDependencies {
  /** RFC 7591/7592 dynamic client registration; absent: off. */
  dynamicRegistration?: DynamicRegistrationSettings;
  issuer: string;
  keys: KeyMaterial;
  ttl: TokenLifetimes;
  trustProxy: boolean;
  accounts: AccountService;
  clients: ClientRepository;
  resourceServers: ResourceServerRepository;
  /** Lets client and resource-server lookups reuse what they derived while the registry is unchanged. */
  registryVersion?: RegistryVersion;
  artifacts: OidcArtifactStore;
  /** Who belongs to which company: access tokens name the company (token-claims.ts). */
  memberships: MembershipRepository;
  /** The company each sign-in acts in, and what the user's roles there grant (tenancy.ts). */
  tenancy: { companies: ActiveCompanies; permissionsOf: PermissionsOf } & CompanyPromptDependencies;
}

export const INTERACTION_PATH = '/interaction';

/** `account` lets a token manage its user's own sessions through /account/api. */
export const OIDC_SCOPES = ['openid', 'offline_access', 'email', 'profile', 'account'];

/**
 * The protocol engine. Everything here is configuration of oidc-provider; Tessera's own behaviour (accounts,
 * pages, storage) is injected through the dependencies.
 */
export function createProvider(deps: ProviderDependencies): Provider {
  const provider = new Provider(deps.issuer, buildConfiguration(deps));
  provider.proxy = deps.trustProxy;
  shapeTokenIds(provider);
  return provider;
}

function buildConfiguration(deps: ProviderDependencies): Configuration {
  const secureCookies = deps.issuer.startsWith('https://');
  const { ttl } = deps;
  const appFeatures = featureConfiguration({ dynamicRegistration: deps.dynamicRegistration });
  return {
    ...appFeatures.settings,
    adapter: createAdapterClass(deps.artifacts, deps.clients, new Set(OIDC_SCOPES), deps.registryVersion),
    findAccount: accountFinder(deps.accounts),
    jwks: deps.keys.jwks as Configuration['jwks'],
    claims: CLAIMS_BY_SCOPE,
    extraTokenClaims: withExchangeClaims(companyClaims(deps.memberships, deps.clients, (token) => activeCompanyOfToken(token, deps.tenancy.companies))),
    // `tenant=<slug>` preselects the company a sign-in acts in (interactions/company-choice.ts).
    extraParams: ['tenant'],
    loadExistingGrant: companyAwareGrantLoader(deps.tenancy.companies),
    scopes: OIDC_SCOPES,
    extraClientMetadata: {
      properties: [API_SCOPES_PROPERTY, SKIP_CONSENT_PROPERTY, COMPANY_PROPERTY],
      validator(_ctx, key, value) {
        if (key === SKIP_CONSENT_PROPERTY && value !== undefined && typeof value !== 'boolean') {
          throw new errors.InvalidClientMetadata(`${SKIP_CONSENT_PROPERTY} must be a boolean`);
        }
      },
    },
    // Authorization code, plus `none` (a sign-in that returns no credential, for the account pages): implicit
    // and hybrid flows are off (OAuth 2.1).
    responseTypes: ['code', 'none'],
    clients: [accountPortalClient(deps.issuer)],
    acrValues: [ACR_PASSWORD, ACR_MULTI_FACTOR],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    // Every authorization and code request names its redirect_uri (OpenID Connect requires it anyway). With the
    // default (true), oidc-provider's error handler fills in a missing one from the client's registration even on
    // the resume route (/auth/:uid), where no parameters were parsed, and crashes with a 500 (fuzz-found:
    // GET /auth/x?client_id=<a real client> without the resume cookie).
    allowOmittingSingleRegisteredRedirectUri: false,
    // oidc-provider only implements S256; PKCE is required for public clients and honoured for everyone else.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    // Every use of a refresh token rotates it; a rotated one presented again revokes the whole grant.
    rotateRefreshToken: true,
    cookies: {
      // `__Host-`: Secure, Path=/, no Domain, so the session cookie belongs to exactly this host. The interaction
      // cookies are scoped to their own paths, which `__Host-` forbids, so they get `__Secure-`.
      names: secureCookies
        ? { session: '__Host-tessera.session', interaction: '__Secure-tessera.interaction', resume: '__Secure-tessera.resume' }
        : { session: 'tessera.session', interaction: 'tessera.interaction', resume: 'tessera.resume' },
      long: { httpOnly: true, sameSite: 'lax', secure: secureCookies, path: '/', signed: true },
      short: { httpOnly: true, sameSite: 'lax', secure: secureCookies, signed: true },
      keys: deps.keys.cookieKeys,
    },
    interactions: {
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
      // login, then the company to act in (company-prompt.ts), then consent.
      policy: interactionPolicyWithCompany(deps.tenancy),
    },
    features: {
      ...appFeatures.features,
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutConfirmPage(form, ctx.host, pageLanguage(ctx));
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = messagePage('Signed out', 'You are signed out. You can close this window.', [], pageLanguage(ctx));
        },
      },
      // Permissions on named resources reach tokens as RFC 9396 authorization_details (authorization-details.ts).
      richAuthorizationRequests: resourceAuthorizationDetails(
        deps.tenancy.companies,
        deps.tenancy.permissionsOf,
        deps.resourceServers,
      ) as never,
      resourceIndicators: {
        enabled: true,
        // Without a `resource` parameter the token is for userinfo only (opaque), as in plain OpenID Connect.
        defaultResource: async () => undefined,
        useGrantedResource: async () => true,
        getResourceServerInfo: narrowedToRoles(
          resourceServerLookup(deps.resourceServers, ttl.accessToken, deps.registryVersion),
          deps.tenancy.companies,
          deps.tenancy.permissionsOf,
        ),
      },
    },
    // The pages speak these languages (ui_locales, else Accept-Language).
    discovery: { claim_types_supported: ['normal'], ui_locales_supported: [...SUPPORTED_LOCALES] },
    ttl: {
      ...appFeatures.ttl,
      AccessToken: ttl.accessToken,
      AuthorizationCode: ttl.authorizationCode,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      ClientCredentials: ttl.clientCredentials,
      Session: ttl.session,
      Interaction: ttl.interaction,
      Grant: ttl.grant,
    },
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = messagePage('Something went wrong', 'The request could not be completed.', [
        ['error', String(out.error)],
        ...(out.error_description ? [['description', String(out.error_description)] as [string, string]] : []),
      ], pageLanguage(ctx));
    },
  };
}

/** The language of oidc-provider's own pages (logout, errors): ui_locales of the request when given, else Accept-Language. */
function pageLanguage(ctx: KoaContextWithOIDC) {
  const uiLocales = ctx.oidc?.params?.ui_locales;
  return messagesForRequest(ctx.get('accept-language'), uiLocales);
}
