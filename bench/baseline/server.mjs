// The baseline: bare oidc-provider (the same npm package and version Tessera runs on, as published: installed under
// bench/baseline/ without Tessera's patches/) with its built-in in-memory adapter (unbounded, see below), configured
// like Tessera's provider (src/oidc/provider.ts and src/oidc/features/): the same clients, keys, scopes, claims, TTLs,
// PKCE, refresh rotation, client credentials, introspection, revocation, resource indicators with RFC 9068 JWT access
// tokens, and the same optional features switched on (device flow, back-channel logout, rich authorization requests,
// client-based CORS, the token-exchange grant, the `tenant` parameter, Tessera's client properties) with the least
// policy each needs. Access tokens carry the same `company` claim, so both servers issue tokens of the same format.
// Its interaction pages are the least a real login needs: a form, Argon2id verify of the same stored hash, a consent
// form. No persistence, no audit, no rate limits, no security headers: the upper bound of the library Tessera builds
// on.
//
// Env: PORT, ISSUER, BENCH_SEED (path to the JSON written by the harness: keys, clients, account + hash).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import argon2 from 'argon2';
import Provider, { errors } from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

/**
 * oidc-provider's own MemoryAdapter, with its store made unbounded: the stock store is an LRU of 1,000 entries, so
 * under load it forgets live tokens and grants (refresh and introspection then fail or answer `active: false`
 * cheaply). Same adapter code, same indexes, expiry honoured on read; only the eviction is gone.
 */
class UnboundedStore {
  #map = new Map();

  get(key) {
    const entry = this.#map.get(key);
    if (!entry) return undefined;
    if (entry.expiry !== undefined && entry.expiry <= Date.now()) {
      this.#map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key, value, { maxAge } = {}) {
    const expiry = typeof maxAge === 'number' && maxAge !== Number.POSITIVE_INFINITY ? Date.now() + maxAge : undefined;
    this.#map.set(key, { value, expiry });
    return this;
  }

  has(key) {
    return this.get(key) !== undefined;
  }

  delete(key) {
    return this.#map.delete(key);
  }
}
const store = new UnboundedStore();

const seed = JSON.parse(readFileSync(process.env.BENCH_SEED, 'utf8'));
const port = Number(process.env.PORT);
const issuer = process.env.ISSUER ?? `http://127.0.0.1:${port}`;
const DAY = 24 * 60 * 60;

/** Resource servers: the JWT one Tessera registers (ES256), plus RS256 and EdDSA audiences for scenario 2. */
const RESOURCES = {
  'https://api.example.com': 'ES256',
  'https://api-rs256.example.com': 'RS256',
  'https://api-eddsa.example.com': 'EdDSA',
};
const API_SCOPES = ['devices:read', 'devices:write'];
const allowedApiScopes = {
  [seed.web.clientId]: new Set(['devices:read']),
  [seed.service.clientId]: new Set(['devices:read']),
};

const account = {
  accountId: seed.accountId,
  async claims() {
    return { sub: seed.accountId, email: seed.email, email_verified: false, name: 'Ada Lovelace', updated_at: 0 };
  },
};

/** src/oidc/client-metadata.ts: the client properties Tessera registers with oidc-provider. */
const TESSERA_CLIENT_PROPERTIES = ['tessera_api_scopes', 'tessera_skip_consent', 'tessera_company'];
const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const TOKEN_EXCHANGE_PARAMETERS = [
  'subject_token', 'subject_token_type', 'requested_token_type', 'resource', 'audience', 'scope', 'actor_token', 'actor_token_type',
];
/** src/oidc/features/cors.ts: only these endpoints answer cross-origin calls of a client's registered origins. */
const CLIENT_CORS_ROUTES = new Set(['token', 'userinfo', 'revocation']);

const provider = new Provider(issuer, {
  // A factory is what oidc-provider accepts besides its own class; it builds the same MemoryAdapter on our store.
  adapter: (model) => new MemoryAdapter(model, store),
  findAccount: async (_ctx, sub) => (sub === seed.accountId ? account : undefined),
  jwks: seed.keys.jwks,
  claims: { openid: ['sub', 'acr', 'amr'], email: ['email', 'email_verified'], profile: ['name', 'updated_at'] },
  scopes: ['openid', 'offline_access', 'email', 'profile', 'account'],
  // Tessera names the company a user's token acts in; the bench's machine client is a platform client (no claim).
  extraTokenClaims: async (_ctx, token) => (token.accountId ? { company: seed.tenantId } : undefined),
  extraParams: ['tenant'],
  extraClientMetadata: { properties: TESSERA_CLIENT_PROPERTIES },
  clientBasedCORS: (ctx, origin, client) =>
    CLIENT_CORS_ROUTES.has(String(ctx.oidc.route)) && client.redirectUris.some((uri) => new URL(uri).origin === origin),
  discovery: { claim_types_supported: ['normal'], ui_locales_supported: ['en', 'de'] },
  responseTypes: ['code', 'none'],
  acrValues: ['aal1', 'aal2'],
  clients: [
    {
      client_id: seed.web.clientId,
      client_secret: seed.web.clientSecret,
      client_name: 'Bench Web App',
      redirect_uris: [seed.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid email profile offline_access',
    },
    {
      client_id: seed.service.clientId,
      client_secret: seed.service.clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    },
  ],
  clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' },
  pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
  rotateRefreshToken: true,
  cookies: {
    names: { session: 'tessera.session', interaction: 'tessera.interaction', resume: 'tessera.resume' },
    long: { httpOnly: true, sameSite: 'lax', secure: false, path: '/', signed: true },
    short: { httpOnly: true, sameSite: 'lax', secure: false, signed: true },
    keys: seed.keys.cookieKeys,
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    deviceFlow: { enabled: true, charset: 'base-20', mask: '****-****' },
    backchannelLogout: { enabled: true },
    richAuthorizationRequests: {
      enabled: true,
      types: {},
      authorizationDetailsForGrantSource: async () => undefined,
      authorizationDetailsForAccessToken: async () => undefined,
      authorizationDetailsForIntrospection: async (_ctx, token) => token.rar,
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => undefined,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, indicator, client) => {
        const alg = RESOURCES[indicator];
        if (!alg) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
        const allowed = allowedApiScopes[client.clientId];
        return {
          scope: API_SCOPES.filter((scope) => !allowed || allowed.has(scope)).join(' '),
          audience: indicator,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg } },
        };
      },
    },
  },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    IdToken: 3600,
    RefreshToken: 14 * DAY,
    ClientCredentials: 600,
    Session: 14 * DAY,
    Interaction: 600,
    Grant: 14 * DAY,
    DeviceCode: 600,
  },
});
// Registered so the token endpoint knows the same grant types and parameters as Tessera's; the bench never uses it.
provider.registerGrantType(
  TOKEN_EXCHANGE_GRANT,
  async () => {
    throw new errors.UnsupportedGrantType();
  },
  TOKEN_EXCHANGE_PARAMETERS,
);

const page = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 16384) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(data))));
    req.on('error', reject);
  });
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
}

async function interaction(req, res, uid, step) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, page('Expired', 'expired'));
  if (req.method === 'GET' && !step) {
    if (details.prompt.name === 'login') {
      return send(res, 200, page('Sign in', `<form method="post" action="/interaction/${uid}/login">
<input name="email" type="email"><input name="password" type="password"><button>Sign in</button></form>`));
    }
    return send(res, 200, page('Allow access', `<p>Allow access?</p><form method="post" action="/interaction/${uid}/confirm">
<button>Allow access</button></form>`));
  }
  if (req.method === 'POST' && step === 'login') {
    const form = await readForm(req);
    const ok = (await argon2.verify(seed.passwordHash, String(form.password ?? ''))) && form.email === seed.email;
    if (!ok) return send(res, 401, page('Sign in', 'wrong'));
    return provider.interactionFinished(req, res, { login: { accountId: seed.accountId, amr: ['pwd'], acr: 'aal1' } }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && step === 'confirm') {
    await readForm(req);
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params.client_id) });
    const prompt = details.prompt.details;
    if (prompt.missingOIDCScope?.length) grant.addOIDCScope(prompt.missingOIDCScope.join(' '));
    if (prompt.missingOIDCClaims?.length) grant.addOIDCClaims(prompt.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  send(res, 404, page('Not found', 'not found'));
}

const providerHandler = provider.callback();
const server = createServer((req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm))?$/.exec(req.url.split('?')[0]);
  if (!match) return providerHandler(req, res);
  interaction(req, res, match[1], match[2]).catch((error) => {
    if (!res.headersSent) send(res, 500, page('Error', String(error)));
  });
});
server.listen(port, '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
