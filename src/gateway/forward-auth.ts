import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { SecurityCounters } from '../storage/ports.js';
import { DPOP_ALGORITHMS, DPOP_REPLAY_WINDOW_SECONDS, InvalidDpopProofError, verifyDpopProof } from './dpop-proof.js';
import { InsufficientScopeError, InvalidTokenError, MissingTokenError } from './errors.js';
import { JwtAccessTokenVerifier } from './jwt-verifier.js';
import { OpaqueTokenLookup } from './opaque-tokens.js';
import type { RouteRequirement, RouteRules } from './route-rules.js';
import { credentialsOf, looksLikeJwt, scopesOf, type Credentials, type VerifiedToken } from './verified-token.js';

export const FORWARD_AUTH_PATH = '/forward-auth';

export interface ForwardAuthOptions {
  issuer: string;
  provider: Provider;
  /** The JWKS the provider publishes now (keystore-swap.ts), so rotated keys verify at once. */
  publishedKeys: () => Array<Record<string, unknown>>;
  /** FORWARD_AUTH_RULES_FILE; without it only the gateway's X-Required-Scopes header sets requirements. */
  rules?: RouteRules;
  /** Remembers DPoP proof ids, so a captured proof is refused the second time (shared by every instance). */
  counters: SecurityCounters;
}

/** Header values must be visible ASCII; anything else is left out rather than breaking the response. */
const HEADER_SAFE = /^[\x20-\x7E]*$/;

/**
 * The forward-auth endpoint for API gateways: nginx `auth_request`, Traefik ForwardAuth, Envoy `ext_authz` (HTTP
 * service, which appends the original path to this one). It validates the bearer token (a JWT against Tessera's
 * own keys, an opaque token in the artifact store), checks what the route requires and answers 200 with the
 * bearer's identity in X-Auth-* headers, or 401/403 with an RFC 6750 WWW-Authenticate challenge. A DPoP-bound
 * token (RFC 9449) passes only as `Authorization: DPoP` with a fresh, unreplayed proof for the original request,
 * made by the key it is bound to; the gateway forwards the `DPoP` header and says where the request went
 * (X-Forwarded-Proto and X-Forwarded-Host, else this request's own). A store outage answers 503 (via the error
 * boundary), never a denial that would look like a bad token.
 *
 * What a route requires is the union of the X-Required-Scopes header and the first matching rule of the rules
 * file: a client can only add requirements by sending the header itself, never remove the gateway's.
 */
export function forwardAuthRoutes(options: ForwardAuthOptions): Router {
  const jwt = new JwtAccessTokenVerifier(options.issuer, options.publishedKeys);
  const opaque = new OpaqueTokenLookup(options.provider);
  const realm = `realm="${options.issuer}"`;

  const check = async (ctx: Context) => {
    ctx.set('Cache-Control', 'no-store');
    let scheme: Credentials['scheme'] = 'Bearer';
    try {
      const credentials = credentialsOf(ctx.get('authorization') || undefined);
      if (!credentials) throw new MissingTokenError();
      scheme = credentials.scheme;
      const { token } = credentials;
      const verified = looksLikeJwt(token) ? jwt.verify(token) : await opaque.verify(token);
      await checkSenderConstraint(ctx, credentials, verified, options.counters);
      const requirement = requirementOf(ctx, options.rules);
      if (!requirement) {
        ctx.status = 403;
        ctx.set('WWW-Authenticate', `${scheme} ${realm}, error="insufficient_scope", error_description="no rule allows this route"`);
        ctx.body = { error: 'insufficient_scope', error_description: 'no rule allows this route' };
        return;
      }
      authorize(verified, requirement);
      ctx.status = 200;
      ctx.body = '';
      setIdentityHeaders(ctx, verified);
    } catch (error) {
      if (error instanceof MissingTokenError) {
        // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
        ctx.status = 401;
        ctx.set('WWW-Authenticate', `Bearer ${realm}`);
        ctx.body = { error: 'invalid_request', error_description: 'a bearer token is required' };
      } else if (error instanceof InvalidTokenError) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', `${scheme} ${realm}, error="invalid_token", error_description="${error.message}"${algsOf(scheme)}`);
        ctx.body = { error: 'invalid_token', error_description: error.message };
      } else if (error instanceof InvalidDpopProofError) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', `DPoP ${realm}, error="invalid_dpop_proof", error_description="${error.message}"${algsOf('DPoP')}`);
        ctx.body = { error: 'invalid_dpop_proof', error_description: error.message };
      } else if (error instanceof InsufficientScopeError) {
        const scope = error.requiredScopes.join(' ');
        ctx.status = 403;
        ctx.set('WWW-Authenticate', `${scheme} ${realm}, error="insufficient_scope", scope="${scope}"`);
        ctx.body = { error: 'insufficient_scope', scope };
      } else {
        throw error;
      }
    }
  };

  const router = new Router();
  router.all(FORWARD_AUTH_PATH, check);
  // Envoy's ext_authz HTTP service calls <path_prefix><original path>.
  router.all(`${FORWARD_AUTH_PATH}/*original`, check);
  return router;
}

/** RFC 9449 §7.1: a DPoP challenge names the proof algorithms accepted. */
function algsOf(scheme: Credentials['scheme']): string {
  return scheme === 'DPoP' ? `, algs="${DPOP_ALGORITHMS.join(' ')}"` : '';
}

/**
 * RFC 9449 §7: a bound token needs the DPoP scheme and a proof by its key for this very request, seen once; an
 * unbound token must not pretend to be one (§7.2 leaves it to the server; accepting it would hide a downgrade).
 */
async function checkSenderConstraint(ctx: Context, credentials: Credentials, token: VerifiedToken, counters: SecurityCounters): Promise<void> {
  if (!token.boundThumbprint) {
    if (credentials.scheme === 'DPoP') throw new InvalidTokenError('the token is not DPoP-bound');
    return;
  }
  if (credentials.scheme !== 'DPoP') throw new InvalidTokenError('a DPoP-bound token needs the DPoP scheme and a proof');
  const proof = ctx.get('dpop');
  if (!proof) throw new InvalidDpopProofError('no DPoP proof');
  const { method, uri } = originalRequest(ctx);
  const origin = `${ctx.get('x-forwarded-proto') || ctx.protocol}://${ctx.get('x-forwarded-host') || ctx.get('host')}`;
  const jti = verifyDpopProof({
    proof,
    accessToken: credentials.token,
    boundThumbprint: token.boundThumbprint,
    method,
    url: `${origin}${uri}`,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  if (!(await counters.claimOnce(`dpop-proof:${token.boundThumbprint}:${jti}`, DPOP_REPLAY_WINDOW_SECONDS))) {
    throw new InvalidDpopProofError('the proof was used before');
  }
}

/** What the route needs: undefined when a rules file is in force and no rule matches. */
function requirementOf(ctx: Context, rules: RouteRules | undefined): RouteRequirement | undefined {
  const fromHeader = scopesOf((ctx.get('x-required-scopes') || '').replace(/,/g, ' '));
  const headerAudience = ctx.get('x-required-audience') || undefined;
  if (!rules) return { scopes: fromHeader, audience: headerAudience };
  const { method, uri } = originalRequest(ctx);
  const rule = rules.requirementFor(method, uri);
  if (!rule) return undefined;
  const audiences = [rule.audience, headerAudience].filter((value): value is string => !!value);
  if (audiences.length === 2 && audiences[0] !== audiences[1]) return undefined;
  return { scopes: [...new Set([...rule.scopes, ...fromHeader])], audience: audiences[0] };
}

/** nginx sends X-Original-*, Traefik X-Forwarded-*; Envoy sends the original request itself under our prefix. */
function originalRequest(ctx: Context): { method: string; uri: string } {
  const method = ctx.get('x-original-method') || ctx.get('x-forwarded-method') || ctx.method;
  const uri = ctx.get('x-original-uri') || ctx.get('x-forwarded-uri') || ctx.url.slice(FORWARD_AUTH_PATH.length) || '/';
  return { method: method.toUpperCase(), uri };
}

function authorize(token: VerifiedToken, requirement: RouteRequirement): void {
  if (requirement.audience && !token.audiences.includes(requirement.audience)) {
    throw new InvalidTokenError('the token is not for this audience');
  }
  const missing = requirement.scopes.filter((scope) => !token.scopes.includes(scope));
  if (missing.length) throw new InsufficientScopeError(requirement.scopes);
}

function setIdentityHeaders(ctx: Context, token: VerifiedToken): void {
  const headers: Record<string, string> = {
    'X-Auth-Subject': token.subject,
    'X-Auth-Client-Id': token.clientId,
    'X-Auth-Scopes': token.scopes.join(' '),
    ...(token.company ? { 'X-Auth-Company': token.company } : {}),
  };
  for (const [name, value] of Object.entries(headers)) if (HEADER_SAFE.test(value)) ctx.set(name, value);
}
