import type { Configuration } from 'oidc-provider';

type Features = NonNullable<Configuration['features']>;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a user signs out (RP-initiated logout), every client of that
 * browser session that registered a `backchannel_logout_uri` gets a signed logout token (`events`, `sub`, and
 * `sid` when it registered `backchannel_logout_session_required`) posted server-to-server, so it can end its own
 * session even though the browser never visits it. A client that does not answer 200/204 is reported through
 * oidc-provider's `backchannel.error` event; the sign-out goes ahead regardless.
 */
export const backchannelLogout: Features['backchannelLogout'] = { enabled: true };
