import type { OidcArtifactStore } from '../storage/ports.js';

/** Models whose reuse is a replay: a lost consume race revokes the grant, as RFC 6749 §4.1.2 asks. */
export const GRANT_SOURCE_MODELS = new Set([
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

const GRANT_BOUND_MODELS = ['AccessToken', 'ClientCredentials', ...GRANT_SOURCE_MODELS];

/**
 * Deletes a grant and every token issued under it: what oidc-provider's own revoke helper does, for the places
 * it cannot reach (a lost consume race, revoking a user's sessions from the account page).
 * JWT access tokens cannot be recalled; they die with their short lifetime.
 */
export async function revokeGrantArtifacts(artifacts: OidcArtifactStore, grantId: string): Promise<void> {
  await Promise.all([
    ...GRANT_BOUND_MODELS.map((model) => artifacts.revokeByGrantId(model, grantId)),
    artifacts.destroy('Grant', grantId),
  ]);
}
