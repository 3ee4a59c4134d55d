import type Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';

type Features = NonNullable<Configuration['features']>;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a user signs out (RP-initiated logout), every client of that
 * browser session that registered a `backchannel_logout_uri` gets a signed logout token (`events`, `sub`, and
 * `sid` when it registered `backchannel_logout_session_required`) posted server-to-server, so it can end its own
 * session even though the browser never visits it. A client that does not answer 200/204 is reported through
 * oidc-provider's `backchannel.error` event; the sign-out goes ahead regardless. Sessions Tessera ends itself (the
 * account page, a password change, an administrator disabling the account) notify the same way
 * (backchannelLogoutNotifier).
 */
export const backchannelLogout: Features['backchannelLogout'] = { enabled: true };

interface BackchannelLogoutClient {
  backchannelLogoutUri?: string;
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

/**
 * Sends the logout tokens for a session that ended outside oidc-provider's own logout, through oidc-provider's
 * client model (the same token, signing and outgoing-request protection). A client that cannot be reached is
 * reported, never an error for whoever ended the session.
 */
export function backchannelLogoutNotifier(provider: Provider, onFailure: (error: unknown, clientId: string) => void) {
  return async (ended: { accountId: string; sidsByClient: Record<string, string> }): Promise<void> => {
    await Promise.all(
      Object.entries(ended.sidsByClient).map(async ([clientId, sid]) => {
        try {
          const client = (await provider.Client.find(clientId)) as unknown as BackchannelLogoutClient | undefined;
          if (client?.backchannelLogoutUri) await client.backchannelLogout(ended.accountId, sid);
        } catch (error) {
          onFailure(error, clientId);
        }
      }),
    );
  };
}
