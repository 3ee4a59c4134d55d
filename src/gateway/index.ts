export { FORWARD_AUTH_PATH, forwardAuthRoutes, type ForwardAuthOptions } from './forward-auth.js';
export { loadRouteRules } from './load-route-rules.js';
export { RouteRules, type RouteRule } from './route-rules.js';
// Token exchange (oidc/features) verifies JWT subject tokens exactly as the gateway does.
export { JwtAccessTokenVerifier } from './jwt-verifier.js';
export { looksLikeJwt } from './verified-token.js';
