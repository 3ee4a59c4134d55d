import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { AuditRecorder } from '../../audit/index.js';
import type { ResourceServerRepository } from '../../storage/ports.js';
import { resourceServerLookup } from '../resource-servers.js';
import { subjectTokenReader, type ActorClaim } from './subject-token.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

const PARAMETERS = ['subject_token', 'subject_token_type', 'requested_token_type', 'resource', 'audience', 'scope', 'actor_token', 'actor_token_type'];

export interface TokenExchangeDependencies {
  resourceServers: ResourceServerRepository;
  defaultAccessTokenTtl: number;
  audit: AuditRecorder;
  /** The public keys the provider publishes now, to verify JWT subject tokens with. */
  publishedKeys: () => Array<Record<string, unknown>>;
}

/**
 * The claims an exchanged token carries beyond oidc-provider's own, by token instance: oidc-provider recomputes
 * `extra` through `extraTokenClaims` when it saves a token, so these are handed over there (withExchangeClaims).
 */
const EXCHANGE_CLAIMS = new WeakMap<object, Record<string, unknown>>();

/**
 * RFC 8693 token exchange, as a custom grant: a confidential client (a service that received a user's access
 * token) exchanges it for a token for another API (`resource`/`audience`) or with fewer scopes, to call onwards on
 * the user's behalf. Rules:
 * - only confidential clients registered for the grant; only access tokens this server issued (opaque or RFC 9068
 *   JWT), still valid, not sender-constrained (the service does not hold the user's DPoP key), with a user behind;
 * - scopes are never widened: every requested scope must be in the subject token; what the target API does not
 *   know, or the exchanging client may not ask for, is dropped; nothing left is an error;
 * - the new token names the exchanging client in `act` (nesting any earlier `act`), keeps the user and company,
 *   and never outlives the subject token;
 * - every exchange is recorded in the audit trail before the token is handed out.
 */
export function registerTokenExchange(provider: Provider, deps: TokenExchangeDependencies): void {
  const targetOf = resourceServerLookup(deps.resourceServers, deps.defaultAccessTokenTtl);
  const readSubjectToken = subjectTokenReader(provider, deps.publishedKeys);

  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    async (ctx) => {
      const client = ctx.oidc.client!;
      if (client.clientAuthMethod === 'none') throw new errors.UnauthorizedClient('token exchange is for confidential clients only');
      const params = ctx.oidc.params as Record<string, string | undefined>;
      if (params.subject_token_type !== ACCESS_TOKEN_TYPE) throw new errors.InvalidRequest('subject_token_type must be an access token');
      if (params.requested_token_type && params.requested_token_type !== ACCESS_TOKEN_TYPE) {
        throw new errors.InvalidRequest('only access tokens can be requested');
      }
      if (params.actor_token) throw new errors.InvalidRequest('actor_token is not supported; the authenticated client is the actor');
      if (!params.subject_token) throw new errors.InvalidRequest('missing required parameter subject_token');

      const subject = await readSubjectToken(params.subject_token);
      const indicator = params.resource ?? params.audience ?? subject.audience;
      if (!indicator) throw new errors.InvalidTarget('name the API the new token is for (resource or audience)');
      const target = await targetOf(ctx, indicator, client);

      const held = subject.scopes;
      const requested = params.scope ? params.scope.split(' ').filter(Boolean) : [...held];
      const widened = requested.filter((scope) => !held.has(scope));
      if (widened.length) throw new errors.InvalidScope('the subject token does not hold every requested scope', widened.join(' '));
      const understood = new Set(target.scope.split(' '));
      const scopes = requested.filter((scope) => understood.has(scope));
      if (!scopes.length) throw new errors.InvalidScope('none of the requested scopes apply to the target API', requested.join(' '));

      const remaining = subject.exp - Math.floor(Date.now() / 1000);
      const token = new provider.AccessToken({
        accountId: subject.accountId,
        client,
        scope: scopes.join(' '),
        sessionUid: subject.sessionUid,
        sid: subject.sid,
        expiresWithSession: subject.expiresWithSession,
        gty: 'token_exchange',
        resourceServer: target,
        expiresIn: Math.max(1, Math.min(target.accessTokenTTL ?? deps.defaultAccessTokenTtl, remaining)),
      } as unknown as ConstructorParameters<typeof provider.AccessToken>[0]);
      const { company } = subject;
      const act: ActorClaim = subject.act ? { sub: client.clientId, act: subject.act } : { sub: client.clientId };
      EXCHANGE_CLAIMS.set(token, { act, ...(company ? { company } : {}) });

      ctx.oidc.entity('AccessToken', token);
      const value = await token.save();
      try {
        await deps.audit.record({
          type: 'token.exchanged',
          tenantId: company,
          subject: subject.accountId,
          actor: client.clientId,
          resource: target.audience,
          ip: ctx.ip,
          userAgent: ctx.get('user-agent') || undefined,
          details: { scope: token.scope ?? '', from_client: subject.clientId ?? '' },
        });
      } catch (error) {
        // Unrecorded means not issued.
        await token.destroy();
        throw error;
      }

      ctx.body = {
        access_token: value,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: token.tokenType,
        expires_in: token.expiration,
        scope: token.scope,
      };
    },
    PARAMETERS,
  );
}

/** Adds an exchanged token's `act` (and its subject's company) to whatever `extraTokenClaims` computes. */
export function withExchangeClaims<T extends (ctx: KoaContextWithOIDC, token: any) => Promise<Record<string, unknown> | undefined>>(inner: T) {
  return (ctx: KoaContextWithOIDC, token: any): Promise<Record<string, unknown> | undefined> => {
    const exchanged = EXCHANGE_CLAIMS.get(token);
    // Most tokens are not exchanged: they get inner's own promise, without a second one around it.
    return exchanged ? inner(ctx, token).then((base) => ({ ...base, ...exchanged })) : inner(ctx, token);
  };
}
