import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type Provider from 'oidc-provider';
import {
  AccountLockedError,
  InvalidCredentialsError,
  InvalidSecondFactorError,
  WeakPasswordError,
  type AccountDeletion,
  type AccountService,
  type LoginService,
  type MfaService,
  type PasswordManagement,
} from '../accounts/index.js';
import { requestMeta } from '../http/request-meta.js';
import { messagesForRequest, type Messages } from '../i18n/index.js';
import type { CsrfTokens } from '../interactions/csrf.js';
import type { PendingLogins } from '../interactions/pending-login.js';
import { enrolPage, messagePage, recoveryCodesPage } from '../interactions/views/pages.js';
import type { SessionService } from '../sessions/index.js';
import type { AccountRecord, SecurityCounters } from '../storage/ports.js';
import { currentSession, signInUrl, type CurrentSession } from './current-session.js';
import type { PersonalDataExport } from './personal-data-export.js';
import { accountDeletionPage, accountPage, mfaManagePage, passwordChangePage, resetPage, resetRequestPage } from './views.js';

export interface SelfServiceDependencies {
  issuer: string;
  provider: Provider;
  accounts: AccountService;
  passwords: PasswordManagement;
  mfa: MfaService;
  sessions: SessionService;
  pending: PendingLogins;
  counters: SecurityCounters;
  csrf: CsrfTokens;
  /** Ends every session and grant of the account (after removing the second factor). */
  revokeAllAccess(accountId: string): Promise<void>;
  deletion: AccountDeletion;
  personalData: PersonalDataExport;
  /** Checks the password again before deleting, under the sign-in throttle. */
  login: LoginService;
}

interface SignedIn {
  session: CurrentSession;
  account: AccountRecord;
  csrfToken: string;
}

const FORM_LIMIT = '16kb';
/** Reset mails one address may ask for per hour; more are silently not sent. */
const RESET_REQUESTS_PER_IP_PER_HOUR = 10;

/**
 * /account: the signed-in user's own page. Sessions (list, sign out one or all others), password change,
 * two-step verification; and the signed-out password reset by mailed link.
 */
export function selfServicePages(deps: SelfServiceDependencies): Router {
  const { provider, accounts, passwords, mfa, sessions, pending, csrf } = deps;
  const router = new Router({ prefix: '/account' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: FORM_LIMIT });

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    // Signed in or not, there is no authorization request here: the browser's languages decide.
    ctx.vary('Accept-Language');
    ctx.state.t = messagesForRequest(ctx.get('accept-language'));
    await next();
  });
  const tr = (ctx: Context) => ctx.state.t as Messages;
  /** A message page; those that end in "sign in again" link to the account page, which starts the sign-in. */
  const notice = (ctx: Context, title: keyof Messages['messages'], message: keyof Messages['messages'], signIn = false) => {
    const t = tr(ctx);
    return messagePage(t.messages[title], t.messages[message], [], t, signIn ? { href: '/account', label: t.common.signIn } : undefined);
  };

  /** Loads the session and account, or sends the browser to sign in; for POSTs also checks the CSRF token. */
  const signedIn = async (ctx: Context, next: Next) => {
    const session = await currentSession(provider, ctx);
    const account = session ? await accounts.findById(session.accountId) : null;
    if (!session || !account || account.disabled) {
      if (ctx.method === 'GET') return ctx.redirect(signInUrl(deps.issuer));
      return sendPage(ctx, 401, notice(ctx, 'signedOutTitle', 'sessionEnded', true));
    }
    const csrfToken = csrf.issue(`account:${session.uid}`);
    if (ctx.method === 'POST' && !csrf.verify(`account:${session.uid}`, field(ctx, 'csrf'))) {
      return sendPage(ctx, 403, notice(ctx, 'refusedTitle', 'formNotVerified'));
    }
    ctx.state.signedIn = { session, account, csrfToken } satisfies SignedIn;
    await next();
  };
  const me = (ctx: Context) => ctx.state.signedIn as SignedIn;

  router.get('/', signedIn, async (ctx) => {
    await renderAccount(ctx, me(ctx));
  });

  router.post('/sessions/revoke-others', form, signedIn, async (ctx) => {
    const { session } = me(ctx);
    const count = await sessions.revokeAll(session.accountId, session.uid, requestMeta(ctx));
    await renderAccount(ctx, me(ctx), tr(ctx).account.signedOutOthers(count));
  });

  router.post('/sessions/:id/revoke', form, signedIn, async (ctx) => {
    const { session } = me(ctx);
    await sessions.revoke(session.accountId, ctx.params.id!, requestMeta(ctx));
    if (ctx.params.id === session.uid) return ctx.redirect(signInUrl(deps.issuer));
    await renderAccount(ctx, me(ctx), tr(ctx).account.sessionSignedOut);
  });

  router.get('/password', signedIn, (ctx) => sendPage(ctx, 200, passwordChangePage({ t: tr(ctx), csrfToken: me(ctx).csrfToken })));

  router.post('/password', form, signedIn, async (ctx) => {
    const { account, csrfToken } = me(ctx);
    try {
      await passwords.change(account, field(ctx, 'current_password'), field(ctx, 'new_password'), requestMeta(ctx));
      sendPage(ctx, 200, notice(ctx, 'passwordChangedTitle', 'passwordChangedSignIn', true));
    } catch (error) {
      if (error instanceof AccountLockedError) {
        ctx.set('Retry-After', String(error.retryAfterSeconds));
        return sendPage(ctx, 429, passwordChangePage({ t: tr(ctx), csrfToken, error: error.message }));
      }
      if (error instanceof InvalidCredentialsError) {
        return sendPage(ctx, 400, passwordChangePage({ t: tr(ctx), csrfToken, error: tr(ctx).passwordChange.currentWrong }));
      }
      if (error instanceof WeakPasswordError) {
        return sendPage(ctx, 400, passwordChangePage({ t: tr(ctx), csrfToken, error: error.message, feedback: error.feedback }));
      }
      throw error;
    }
  });

  router.get('/mfa', signedIn, async (ctx) => {
    const { account, session, csrfToken } = me(ctx);
    if (account.mfa) {
      return sendPage(ctx, 200, mfaManagePage({ t: tr(ctx), csrfToken, recoveryCodesLeft: account.mfa.recoveryCodeHashes.length }));
    }
    const secret = mfa.newSecret();
    await pending.save(enrolmentKey(session), { accountId: account.id, stage: 'enrol', secret });
    await renderEnrolment(ctx, me(ctx), secret);
  });

  router.post('/mfa/enrol', form, signedIn, async (ctx) => {
    const { account, session, csrfToken } = me(ctx);
    const step = await pending.find(enrolmentKey(session));
    if (step?.stage !== 'enrol' || step.accountId !== account.id) return ctx.redirect('/account/mfa');
    try {
      const codes = await mfa.confirmEnrolment(account, step.secret, field(ctx, 'code'), requestMeta(ctx));
      await pending.clear(enrolmentKey(session));
      sendPage(ctx, 200, recoveryCodesPage({ t: tr(ctx), action: '/account/mfa/done', csrfToken, codes, buttonLabel: tr(ctx).common.backToAccount }));
    } catch (error) {
      if (!(error instanceof InvalidSecondFactorError)) throw error;
      ctx.status = 400;
      await renderEnrolment(ctx, me(ctx), step.secret, error.message);
    }
  });

  router.post('/mfa/done', form, signedIn, (ctx) => ctx.redirect('/account'));

  router.post('/mfa/disable', form, signedIn, async (ctx) => {
    const { account, csrfToken } = me(ctx);
    if (!account.mfa) return ctx.redirect('/account');
    try {
      await deps.login.reconfirmPassword(account, field(ctx, 'password'), requestMeta(ctx));
    } catch (error) {
      const left = account.mfa.recoveryCodeHashes.length;
      if (error instanceof AccountLockedError) {
        ctx.set('Retry-After', String(error.retryAfterSeconds));
        return sendPage(ctx, 429, mfaManagePage({ t: tr(ctx), csrfToken, recoveryCodesLeft: left, error: error.message }));
      }
      if (!(error instanceof InvalidCredentialsError)) throw error;
      return sendPage(ctx, 400, mfaManagePage({ t: tr(ctx), csrfToken, recoveryCodesLeft: left, error: tr(ctx).mfaManage.passwordWrong }));
    }
    await mfa.disable(account, requestMeta(ctx));
    await deps.revokeAllAccess(account.id);
    sendPage(ctx, 200, notice(ctx, 'mfaOffTitle', 'mfaOff', true));
  });

  // GDPR access right: the same JSON as GET /account/api/export, as a download.
  router.get('/export', signedIn, async (ctx) => {
    ctx.set('Content-Disposition', 'attachment; filename="tessera-account.json"');
    ctx.type = 'json';
    ctx.body = JSON.stringify(await deps.personalData.of(me(ctx).account), null, 2);
  });

  router.get('/delete', signedIn, (ctx) => sendPage(ctx, 200, accountDeletionPage({ t: tr(ctx), csrfToken: me(ctx).csrfToken })));

  // The account is disabled and signed out everywhere (this browser included) at once; the data goes after the window.
  router.post('/delete', form, signedIn, async (ctx) => {
    const { account, csrfToken } = me(ctx);
    try {
      await deps.login.reconfirmPassword(account, field(ctx, 'password'), requestMeta(ctx));
    } catch (error) {
      if (error instanceof AccountLockedError) {
        ctx.set('Retry-After', String(error.retryAfterSeconds));
        return sendPage(ctx, 429, accountDeletionPage({ t: tr(ctx), csrfToken, error: error.message }));
      }
      if (!(error instanceof InvalidCredentialsError)) throw error;
      return sendPage(ctx, 400, accountDeletionPage({ t: tr(ctx), csrfToken, error: tr(ctx).accountDeletion.passwordWrong }));
    }
    await deps.deletion.request(account, { actor: account.id, ...requestMeta(ctx) });
    const t = tr(ctx);
    sendPage(ctx, 200, messagePage(t.accountDeletion.doneTitle, t.accountDeletion.done, [], t));
  });

  // Signed out: ask for a reset link, then use it. The token travels in the query and the form body, never in
  // the path, because request paths are logged.
  router.get('/password-reset', (ctx) => sendPage(ctx, 200, resetRequestPage({ t: tr(ctx), csrfToken: csrf.issue('reset') })));

  router.post('/password-reset', form, async (ctx) => {
    if (!csrf.verify('reset', field(ctx, 'csrf'))) return sendPage(ctx, 403, notice(ctx, 'refusedTitle', 'goBack'));
    const requests = await deps.counters.hit(`reset-request:${ctx.ip}`, 3600);
    if (requests <= RESET_REQUESTS_PER_IP_PER_HOUR) passwords.requestReset(field(ctx, 'email'), requestMeta(ctx));
    sendPage(ctx, 200, resetRequestPage({ t: tr(ctx), csrfToken: csrf.issue('reset'), sent: true }));
  });

  router.get('/password-reset/confirm', async (ctx) => {
    const token = String(ctx.query.token ?? '');
    const account = await passwords.accountForReset(token).catch(() => undefined);
    if (!account) return sendPage(ctx, 400, notice(ctx, 'linkInvalidTitle', 'linkInvalid'));
    sendPage(ctx, 200, resetPage({ t: tr(ctx), csrfToken: csrf.issue(`reset:${token}`), action: resetAction(token), email: account.email }));
  });

  router.post('/password-reset/confirm', form, async (ctx) => {
    const token = String(ctx.query.token ?? '');
    if (!csrf.verify(`reset:${token}`, field(ctx, 'csrf'))) return sendPage(ctx, 403, notice(ctx, 'refusedTitle', 'goBack'));
    try {
      await passwords.reset(token, field(ctx, 'new_password'), requestMeta(ctx));
      sendPage(ctx, 200, notice(ctx, 'passwordChangedTitle', 'passwordResetSignIn', true));
    } catch (error) {
      if (error instanceof WeakPasswordError) {
        const account = await passwords.accountForReset(token);
        const view = { t: tr(ctx), csrfToken: csrf.issue(`reset:${token}`), action: resetAction(token), email: account.email };
        return sendPage(ctx, 400, resetPage({ ...view, error: error.message, feedback: error.feedback }));
      }
      if ((error as { code?: string }).code === 'invalid_token') {
        return sendPage(ctx, 400, notice(ctx, 'linkInvalidTitle', 'linkInvalid'));
      }
      throw error;
    }
  });

  async function renderAccount(ctx: Context, { session, account, csrfToken }: SignedIn, notice?: string) {
    const fresh = (await accounts.findById(account.id)) ?? account;
    sendPage(
      ctx,
      200,
      accountPage({
        t: tr(ctx),
        email: fresh.email,
        name: fresh.name,
        mfaEnrolled: !!fresh.mfa,
        recoveryCodesLeft: fresh.mfa?.recoveryCodeHashes.length ?? 0,
        sessions: await sessions.list(account.id, session.uid),
        csrfToken,
        notice,
        signOutUrl: '/session/end',
      }),
    );
  }

  async function renderEnrolment(ctx: Context, { account, csrfToken }: SignedIn, secret: string, error?: string) {
    ctx.type = 'html';
    ctx.body = enrolPage({
      t: tr(ctx),
      action: '/account/mfa/enrol',
      abortAction: '/account/mfa/done',
      csrfToken,
      secret,
      qrDataUrl: await mfa.enrolmentQr(account, secret),
      error,
    });
  }

  return router;
}

function enrolmentKey(session: CurrentSession): string {
  return `account-${session.uid}`;
}

function resetAction(token: string): string {
  return `/account/password-reset/confirm?token=${encodeURIComponent(token)}`;
}

function field(ctx: Context, name: string): string | undefined {
  const body = (ctx.request as { body?: Record<string, unknown> }).body;
  const value = body?.[name];
  return typeof value === 'string' ? value : undefined;
}

function sendPage(ctx: Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = body;
}
