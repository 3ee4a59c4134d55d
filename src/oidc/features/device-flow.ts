import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { messagesForRequest, type Messages } from '../../i18n/index.js';
import {
  deviceCodeInputPage,
  deviceConfirmPage,
  deviceSessionExpiredPage,
  deviceSuccessPage,
  type DeviceCodeProblem,
} from '../../interactions/views/device-pages.js';

/** oidc-provider's default path of the user-code page (`code_verification`). */
const VERIFICATION_PATH = '/device';
const MAX_USER_CODE_LENGTH = 32;
/** How long a user has to enter the code (RFC 8628 §3.2 `expires_in`); the brute-force window for guessing one. */
export const DEVICE_CODE_TTL_SECONDS = 600;

type Features = NonNullable<Configuration['features']>;

/**
 * RFC 8628 device authorization grant: a TV or CLI gets a device_code and a user_code, the user enters the user code
 * at /device in a browser, signs in and consents through the usual interaction pages, and the device polls /token.
 * User codes are 8 characters from a 20-letter alphabet without vowels or look-alikes (≈ 34 bits), shown as
 * XXXX-XXXX. The pages are Tessera's own; oidc-provider checks its session-bound CSRF token (`xsrf`) on every POST.
 */
export const deviceFlow: Features['deviceFlow'] = {
  enabled: true,
  charset: 'base-20',
  mask: '****-****',
  async userCodeInputSource(ctx, _form, _out, error) {
    renderAsPage(ctx);
    ctx.body = deviceCodeInputPage({
      t: pageLanguage(ctx),
      action: ctx.oidc.urlFor('code_verification'),
      csrfToken: sessionCsrfToken(ctx),
      problem: error ? problemOf(error) : undefined,
      userCode: prefilledUserCode(ctx),
    });
  },
  async userCodeConfirmSource(ctx, _form, client, deviceInfo, userCode) {
    renderAsPage(ctx);
    ctx.body = deviceConfirmPage({
      t: pageLanguage(ctx),
      action: ctx.oidc.urlFor('code_verification'),
      csrfToken: sessionCsrfToken(ctx),
      clientName: client.clientName ?? client.clientId,
      userCode,
      requestedFrom: typeof deviceInfo?.ip === 'string' ? deviceInfo.ip : undefined,
    });
  },
  async successSource(ctx) {
    renderAsPage(ctx);
    ctx.body = deviceSuccessPage(pageLanguage(ctx));
  },
};

/** HTML that holds a CSRF token or a user code: never cached, by the browser or anything in between. */
function renderAsPage(ctx: KoaContextWithOIDC): void {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.vary('Accept-Language');
}

/**
 * The page language: `ui_locales` of the device authorization request once the code is known (the confirm and
 * success pages; oidc-provider keeps the request's parameters with the device code), else Accept-Language.
 */
function pageLanguage(ctx: KoaContextWithOIDC): Messages {
  const uiLocales = ctx.oidc?.deviceCode?.params?.ui_locales ?? ctx.oidc?.params?.ui_locales;
  return messagesForRequest(ctx.get('accept-language'), uiLocales);
}

/** The token oidc-provider put in its own form (`xsrf`): a secret kept in the browser session's state. */
function sessionCsrfToken(ctx: KoaContextWithOIDC): string {
  return String((ctx.oidc.session?.state as { secret?: string } | undefined)?.secret ?? '');
}

function problemOf(error: Error): DeviceCodeProblem {
  if ((error as { userCode?: string }).userCode !== undefined || error.name === 'NoCodeError') return 'wrong-code';
  if (error.name === 'AbortedError') return 'aborted';
  return 'failed';
}

/**
 * In front of oidc-provider's /device (run by the provider before its routes):
 * - GET with `user_code` (verification_uri_complete): oidc-provider would answer with a self-submitting form that
 *   needs an inline script; instead our code page is shown with the field filled in, one click to confirm.
 * - POST without a browser session: oidc-provider would fail with a 500 (it tries to save a session it never
 *   created); a forged or stale form gets a 400 page that leads back to the start.
 */
export function deviceVerificationGuard(provider: Provider): Middleware {
  // Not async: it never waits, and most requests (every one but /device) only pass through.
  return (ctx, next) => {
    if (ctx.path !== VERIFICATION_PATH) return next();
    if (ctx.method === 'GET') {
      const userCode = ctx.query.user_code;
      if (typeof userCode === 'string' && userCode.length <= MAX_USER_CODE_LENGTH) ctx.state.prefilledUserCode = userCode;
      if (userCode !== undefined) ctx.querystring = '';
      return next();
    }
    if (ctx.method !== 'POST' || ctx.cookies.get(provider.cookieName('session'), { signed: true })) return next();
    ctx.status = 400;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.vary('Accept-Language');
    ctx.body = deviceSessionExpiredPage(VERIFICATION_PATH, messagesForRequest(ctx.get('accept-language')));
  };
}

function prefilledUserCode(ctx: KoaContextWithOIDC): string | undefined {
  const value: unknown = ctx.state.prefilledUserCode;
  return typeof value === 'string' ? value : undefined;
}
