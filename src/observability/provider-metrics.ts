import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Metrics } from './metrics.js';

const TOKEN_TYPES = ['access_token', 'refresh_token', 'id_token'] as const;

/**
 * Counts what the token endpoint hands out. oidc-provider emits `grant.success` once per successful token request,
 * after the response body is set, so the body says which tokens this grant type produced (a refresh may or may not
 * rotate, a code exchange may or may not include an ID token) without hooking each token model.
 */
export function meterTokenIssuance(provider: Provider, metrics: Metrics): void {
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = String(ctx.oidc.params?.grant_type ?? 'unknown');
    const body = ctx.body as Record<string, unknown> | undefined;
    for (const tokenType of TOKEN_TYPES) {
      if (body?.[tokenType]) metrics.tokensIssued.inc({ grant_type: grantType, token_type: tokenType });
    }
  });
}
