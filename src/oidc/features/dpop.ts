import type { Configuration } from 'oidc-provider';

type Features = NonNullable<Configuration['features']>;

/**
 * RFC 9449 DPoP: a client that proves possession of a key at the token endpoint gets `token_type: DPoP` access
 * tokens bound to that key's thumbprint (`cnf.jkt`, shown by introspection), and a public client's refresh tokens
 * are bound too; a stolen token is useless without the private key. Userinfo refuses a bound token presented as a
 * plain bearer. Every proof's `jti` is remembered for its lifetime (ReplayDetection in the short-lived store), so a
 * captured proof cannot be sent again. A client registered with `dpop_bound_access_tokens: true` must use DPoP.
 */
export const dPoP: Features['dPoP'] = {
  enabled: true,
  allowReplay: false,
};
