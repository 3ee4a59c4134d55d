import type { Configuration } from 'oidc-provider';

type Features = NonNullable<Configuration['features']>;

/**
 * RFC 9126 pushed authorization requests: the client posts its authorization parameters to /request (authenticated)
 * and sends the browser with a short-lived request_uri only, so nothing can be tampered with or leaked in the URL.
 * Optional by default; required for a client whose metadata says `require_pushed_authorization_requests: true`
 * (oidc-provider enforces that per client). Pushed requests may only name registered redirect URIs.
 */
export const pushedAuthorizationRequests: Features['pushedAuthorizationRequests'] = {
  enabled: true,
  requirePushedAuthorizationRequests: false,
  allowUnregisteredRedirectUris: false,
};
