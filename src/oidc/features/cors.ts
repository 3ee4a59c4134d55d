import type { Context, Middleware } from 'koa';
import type { Client, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { registersRedirectOrigin } from '../../storage/client-origins.js';

/**
 * CORS for single-page apps. Browsers may call only the token, userinfo and revocation endpoints cross-origin, and
 * only from an origin the calling client registered (the origin of one of its redirect URIs). JWKS and discovery
 * are public documents and stay open to every origin (oidc-provider's default for them).
 */
const CLIENT_CORS_ROUTES = new Set(['token', 'userinfo', 'revocation']);

/** oidc-provider's default paths for the endpoints above (Tessera does not rename them). */
const CLIENT_CORS_PATHS: Partial<Record<string, string>> = { '/token': 'POST', '/me': 'GET,POST', '/token/revocation': 'POST' };
/** Endpoints oidc-provider would open to CORS too, which are not for browsers: introspection, device flow, PAR. */
const NO_CORS_PATHS = new Set(['/token/introspection', '/device/auth', '/request']);

const ALLOWED_REQUEST_HEADERS = 'Authorization, Content-Type, DPoP';
const PREFLIGHT_MAX_AGE_SECONDS = '3600';

/** The actual (non-preflight) request: oidc-provider calls this once it knows the client. */
export function clientBasedCors(ctx: KoaContextWithOIDC, origin: string, client: Client): boolean {
  if (!CLIENT_CORS_ROUTES.has(String(ctx.oidc.route))) return false;
  // redirectUris, not client.metadata(): that rebuilds every property on each call.
  return registersRedirectOrigin({ redirect_uris: client.redirectUris }, origin);
}

export const corsConfiguration: Pick<Configuration, 'clientBasedCORS'> = { clientBasedCORS: clientBasedCors };

/**
 * Preflights name no client, so oidc-provider allows every origin there. This middleware (run by the provider
 * before its routes) answers them first: an origin some client registered gets the CORS headers for the client
 * endpoints; any other origin, and every preflight to an endpoint that is not for browsers, gets a 204 without
 * them, which the browser treats as a refusal.
 */
export function corsPreflight(isRegisteredOrigin: (origin: string) => Promise<boolean>): Middleware {
  // Only preflights to the listed paths are answered here; everything else passes through without a promise of its own.
  return (ctx, next) => {
    if (ctx.method !== 'OPTIONS' || !ctx.get('Origin') || !ctx.get('Access-Control-Request-Method')) return next();
    const methods = CLIENT_CORS_PATHS[ctx.path];
    if (!methods && !NO_CORS_PATHS.has(ctx.path)) return next();
    return answerPreflight(ctx, methods, isRegisteredOrigin);
  };
}

async function answerPreflight(
  ctx: Context,
  methods: string | undefined,
  isRegisteredOrigin: (origin: string) => Promise<boolean>,
): Promise<void> {
  ctx.vary('Origin');
  ctx.status = 204;
  const origin = ctx.get('Origin');
  if (!methods || !(await isRegisteredOrigin(origin))) return;
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Allow-Methods', methods);
  ctx.set('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
  ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
}
