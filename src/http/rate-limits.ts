import type { RateLimitSettings } from '../config/index.js';
import { INTERACTION_PATH } from '../oidc/index.js';
import { underPath, type RateLimitRule } from './middleware/rate-limit.js';

/**
 * Which endpoints have a per-IP budget, and how big. Paths are those oidc-provider and our routers serve:
 * - token: /token and what lives under it (introspection, revocation), where client secrets and codes are guessed;
 * - login: the sign-in steps that check a password or a second factor (the lockout counts per account as well);
 * - device-code: entering a device flow user code, with the login budget;
 * - registration: dynamic client registration, when enabled;
 * - admin: the admin REST API.
 */
export function tesseraRateLimitRules(settings: RateLimitSettings): RateLimitRule[] {
  return [
    { name: 'token', path: underPath('/token'), limit: settings.token },
    {
      name: 'login',
      path: new RegExp(`^${INTERACTION_PATH}/[^/]+/(?:login|second-factor|enrol)$`),
      methods: ['POST'],
      limit: settings.login,
    },
    // Device flow user codes are short secrets typed by people (RFC 8628 §5.1): guesses share the sign-in budget.
    { name: 'device-code', path: /^\/device$/, methods: ['POST'], limit: settings.login },
    { name: 'registration', path: underPath('/reg'), limit: settings.registration },
    { name: 'admin', path: underPath('/admin/api'), limit: settings.admin },
  ];
}
