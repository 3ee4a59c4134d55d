export { FORWARD_AUTH_PATH, forwardAuthRoutes, type ForwardAuthOptions } from './forward-auth.js';
export { loadRouteRules } from './load-route-rules.js';
export { RouteRules, type RouteRule } from './route-rules.js';
