import fc from 'fast-check';
import { hostileString } from './hostile-values.js';
import { utf8Wire } from './wire-format.js';

/** Every route the server answers, with the methods it takes and the parameter names its code reads. */
export interface Endpoint {
  /** `:id` is filled with a hostile path segment. */
  path: string;
  methods: string[];
  params: string[];
}

const AUTH_PARAMS = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
  'id_token_hint',
  'ui_locales',
  'claims',
  'acr_values',
  'resource',
  'request',
  'request_uri',
  'response_mode',
  'code_challenge',
  'code_challenge_method',
  'authorization_details',
  'display',
];
const TOKEN_PARAMS = ['grant_type', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'scope', 'resource', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'audience'];
const TOKEN_ENDPOINT_PARAMS = ['token', 'token_type_hint', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type'];
const LOGOUT_PARAMS = ['id_token_hint', 'post_logout_redirect_uri', 'state', 'client_id', 'ui_locales', 'logout_hint', 'xsrf', 'logout'];
const FORM_PARAMS = ['csrf', 'email', 'password', 'code', 'current_password', 'new_password', 'token'];

export const ENDPOINTS: Endpoint[] = [
  { path: '/.well-known/openid-configuration', methods: ['GET', 'HEAD', 'POST', 'OPTIONS'], params: ['x'] },
  { path: '/jwks', methods: ['GET', 'HEAD', 'POST'], params: ['x'] },
  { path: '/auth', methods: ['GET', 'POST'], params: AUTH_PARAMS },
  { path: '/auth/:id', methods: ['GET'], params: AUTH_PARAMS },
  { path: '/token', methods: ['POST', 'GET', 'OPTIONS'], params: TOKEN_PARAMS },
  { path: '/token/introspection', methods: ['POST', 'GET'], params: TOKEN_ENDPOINT_PARAMS },
  { path: '/token/revocation', methods: ['POST', 'GET'], params: TOKEN_ENDPOINT_PARAMS },
  { path: '/me', methods: ['GET', 'POST', 'OPTIONS'], params: ['access_token', 'claims'] },
  { path: '/session/end', methods: ['GET', 'POST'], params: LOGOUT_PARAMS },
  { path: '/session/end/confirm', methods: ['POST', 'GET'], params: LOGOUT_PARAMS },
  { path: '/session/end/success', methods: ['GET'], params: ['state', 'client_id'] },
  { path: '/interaction/:id', methods: ['GET', 'POST'], params: FORM_PARAMS },
  { path: '/interaction/:id/login', methods: ['POST', 'GET'], params: FORM_PARAMS },
  { path: '/interaction/:id/second-factor', methods: ['POST'], params: FORM_PARAMS },
  { path: '/interaction/:id/enrol', methods: ['POST'], params: FORM_PARAMS },
  { path: '/interaction/:id/continue', methods: ['POST'], params: FORM_PARAMS },
  { path: '/interaction/:id/confirm', methods: ['POST'], params: FORM_PARAMS },
  { path: '/interaction/:id/abort', methods: ['POST'], params: FORM_PARAMS },
  { path: '/account', methods: ['GET', 'POST'], params: FORM_PARAMS },
  { path: '/account/password', methods: ['GET', 'POST'], params: FORM_PARAMS },
  { path: '/account/mfa', methods: ['GET'], params: FORM_PARAMS },
  { path: '/account/mfa/enrol', methods: ['POST'], params: FORM_PARAMS },
  { path: '/account/mfa/done', methods: ['POST'], params: FORM_PARAMS },
  { path: '/account/mfa/disable', methods: ['POST'], params: FORM_PARAMS },
  { path: '/account/sessions/revoke-others', methods: ['POST'], params: FORM_PARAMS },
  { path: '/account/sessions/:id/revoke', methods: ['POST'], params: FORM_PARAMS },
  { path: '/account/password-reset', methods: ['GET', 'POST'], params: FORM_PARAMS },
  { path: '/account/password-reset/confirm', methods: ['GET', 'POST'], params: FORM_PARAMS },
  { path: '/account/api/sessions', methods: ['GET', 'DELETE'], params: ['x'] },
  { path: '/account/api/sessions/:id', methods: ['DELETE', 'GET'], params: ['x'] },
  { path: '/account/api/password', methods: ['POST'], params: ['current_password', 'new_password'] },
  { path: '/healthz', methods: ['GET', 'HEAD', 'POST'], params: ['x'] },
  { path: '/readyz', methods: ['GET', 'HEAD'], params: ['x'] },
  { path: '/static/tessera.css', methods: ['GET', 'HEAD', 'POST'], params: ['x'] },
];

/** The paths that answer 200 to a plain GET whatever the query says. */
export const ALWAYS_OK_PATHS = ['/.well-known/openid-configuration', '/jwks', '/healthz', '/readyz', '/static/tessera.css'];

/** A path segment for `:id`: an id-looking value, a hostile string, or a broken escape, never a '/' or '?'. */
export function pathSegment(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_-]{1,43}$/),
    hostileString(known).map((value) => utf8Wire(value).replace(/[\s/?#]/g, (char) => encodeURIComponent(char))),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '..', '%2e%2e', '%2F', '%00', '__proto__', 'constructor'),
  );
}

/** A method: mostly the ones the endpoint takes, sometimes any other (including made-up ones). */
export function methodFor(endpoint: Endpoint): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...endpoint.methods) },
    { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'FOO') },
  );
}

export function fillPath(path: string, segment: string): string {
  return path.replace(':id', segment);
}
