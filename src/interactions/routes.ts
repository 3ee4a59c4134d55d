import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import {
  AccountLockedError,
  InvalidCredentialsError,
  InvalidSecondFactorError,
  type AccountService,
  type LoginService,
  type MfaService,
} from '../accounts/index.js';
import { requestMeta } from '../http/request-meta.js';
import { messagesForRequest, type Messages } from '../i18n/index.js';
import { ACR_MULTI_FACTOR, ACR_PASSWORD, COMPANY_PROMPT, COMPANY_RESULT, skipsConsent, type ActiveCompanies } from '../oidc/index.js';
import type { AuditRecorder } from '../audit/index.js';
import type { TenantService } from '../tenants/index.js';
import type { AccountRecord } from '../storage/ports.js';
import { requestedCompany } from './company-choice.js';
import { companyStep } from './company-step.js';
import { consentedScopes, consentSections, saveConsent } from './consent.js';
import type { CsrfTokens } from './csrf.js';
import { formFields, loadInteraction, loadPostedInteraction, type InteractionDetails } from './interaction-loader.js';
import type { PendingLogins } from './pending-login.js';
import { consentPage, enrolPage, loginPage, messagePage, recoveryCodesPage, secondFactorPage } from './views/pages.js';

export interface InteractionRouteDependencies {
  provider: Provider;
  accounts: AccountService;
  login: LoginService;
  mfa: MfaService;
  pending: PendingLogins;
  csrf: CsrfTokens;
  basePath: string;
  /** The company a sign-in acts in: chosen after the last factor, kept with the session and its grants. */
  tenants: TenantService;
  companies: ActiveCompanies;
  audit: AuditRecorder;
}

const FORM_LIMIT = '16kb';

/**
 * The server-rendered pages oidc-provider sends the browser to: login (password, then the second factor or its
 * enrolment) and consent. Each POST is bound to its interaction (cookie + uid in the path) and carries a CSRF
 * token. Wrong password, unknown email and a blocked account all answer 401 with the same page.
 */
export function interactionRoutes(deps: InteractionRouteDependencies): Router {
  const { provider, accounts, login, mfa, pending, csrf, basePath, companies } = deps;
  const company = companyStep(deps, completeSignIn, refuseSignIn);
  const router = new Router({ prefix: basePath });
  const form = bodyParser({ enableTypes: ['form'], formLimit: FORM_LIMIT });
  const action = (details: InteractionDetails, step: string) => `${basePath}/${details.uid}/${step}`;
  /** The page language: the relying party's `ui_locales`, else the browser's Accept-Language. */
  const language = (ctx: Context, details: InteractionDetails): Messages =>
    messagesForRequest(ctx.get('accept-language'), details.params.ui_locales);

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.vary('Accept-Language');
    await next();
  });

  router.get('/:uid', async (ctx) => {
    const details = await loadInteraction(provider, ctx);
    if (!details) return;
    if (details.prompt.name === 'login') {
      const step = await pending.find(details.uid);
      if (step?.stage === 'choose-company') return company.render(ctx, details, step.accountId);
      if (step) return renderPendingStep(ctx, details, step.accountId);
      return renderLogin(ctx, details);
    }
    if (details.prompt.name === COMPANY_PROMPT && details.session) {
      const step = await pending.find(details.uid);
      if (step?.stage === 'choose-company') return company.render(ctx, details, step.accountId);
      return company.decide(ctx, details, details.session.accountId);
    }
    if (details.prompt.name === 'consent') {
      const client = await provider.Client.find(String(details.params.client_id));
      if (skipsConsent(client)) return finish(ctx, { consent: { grantId: await saveConsent(provider, details, companies) } }, true);
      ctx.type = 'html';
      ctx.body = consentPage({
        t: language(ctx, details),
        action: action(details, 'confirm'),
        abortAction: action(details, 'abort'),
        csrfToken: csrf.issue(details.uid),
        clientName: client?.clientName ?? String(details.params.client_id),
        sections: consentSections(details),
      });
      return;
    }
    ctx.status = 400;
    ctx.type = 'html';
    const t = language(ctx, details);
    ctx.body = messagePage(t.messages.cannotContinueTitle, t.messages.unsupportedStep.replace('{step}', details.prompt.name), [], t);
  });

  router.post('/:uid/login', form, async (ctx) => {
    const details = await loadPostedInteraction(provider, csrf, ctx, 'login');
    if (!details) return;
    const { email, password } = formFields(ctx);
    try {
      const outcome = await login.checkPassword(email, password, requestMeta(ctx), signInContext(details));
      if (outcome.next === 'done') return signedIn(ctx, outcome.account, ['pwd'], details);
      const stage = outcome.next === 'second-factor' ? { stage: 'second-factor' as const } : enrolment();
      await pending.save(details.uid, { accountId: outcome.account.id, ...stage });
      ctx.status = 303;
      ctx.redirect(`${basePath}/${details.uid}`);
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError || error instanceof AccountLockedError)) throw error;
      ctx.status = 401;
      if (error instanceof AccountLockedError) ctx.set('Retry-After', String(error.retryAfterSeconds));
      await renderLogin(ctx, details, { error: error.message, email });
    }
  });

  router.post('/:uid/second-factor', form, async (ctx) => {
    const loaded = await loadPendingStep(ctx, 'second-factor');
    if (!loaded) return;
    await secondFactorStep(ctx, loaded, async ({ details, account }) => {
      await login.checkSecondFactor(account, formFields(ctx).code, requestMeta(ctx), signInContext(details));
      await signedIn(ctx, account, ['pwd', 'otp'], details);
    });
  });

  router.post('/:uid/enrol', form, async (ctx) => {
    const loaded = await loadPendingStep(ctx, 'enrol');
    if (loaded?.step.stage !== 'enrol') return;
    const { secret } = loaded.step;
    await secondFactorStep(ctx, loaded, async ({ details, account }) => {
      const codes = await login.completeEnrolment(account, secret, formFields(ctx).code, requestMeta(ctx), signInContext(details));
      await pending.save(details.uid, { accountId: account.id, stage: 'recovery-codes' });
      ctx.type = 'html';
      const t = language(ctx, details);
      ctx.body = recoveryCodesPage({ t, action: action(details, 'continue'), csrfToken: csrf.issue(details.uid), codes, buttonLabel: t.common.continue });
    });
  });

  /** Runs a code-checking step; a wrong code or a lockout shows the same step again, with the reason, as 401. */
  async function secondFactorStep(
    ctx: Context,
    loaded: { details: InteractionDetails; account: AccountRecord },
    step: (loaded: { details: InteractionDetails; account: AccountRecord }) => Promise<void>,
  ) {
    try {
      await step(loaded);
    } catch (error) {
      if (!(error instanceof InvalidSecondFactorError || error instanceof AccountLockedError)) throw error;
      ctx.status = 401;
      await renderPendingStep(ctx, loaded.details, loaded.account.id, error.message);
    }
  }

  router.post('/:uid/continue', form, async (ctx) => {
    const loaded = await loadPendingStep(ctx, 'recovery-codes');
    if (loaded) await signedIn(ctx, loaded.account, ['pwd', 'otp'], loaded.details);
  });

  router.post('/:uid/confirm', form, async (ctx) => {
    const details = await loadPostedInteraction(provider, csrf, ctx, 'consent');
    if (!details) return;
    const grantId = await saveConsent(provider, details, companies);
    const accountId = details.session?.accountId;
    await deps.audit.record({
      type: 'consent.granted',
      tenantId: (await companies.ofGrant(grantId)) ?? undefined,
      subject: accountId,
      actor: accountId,
      resource: `client:${String(details.params.client_id)}`,
      details: { scope: consentedScopes(details) },
      ...requestMeta(ctx),
    });
    await finish(ctx, { consent: { grantId } }, true);
  });

  router.post('/:uid/abort', form, async (ctx) => {
    const details = await loadPostedInteraction(provider, csrf, ctx);
    if (!details) return;
    await pending.clear(details.uid);
    await finish(ctx, { error: 'access_denied', error_description: 'The user cancelled the request.' }, false);
  });

  company.register(router, form);

  function enrolment() {
    return { stage: 'enrol' as const, secret: mfa.newSecret() };
  }

  /** The pending sign-in step this POST continues, with its account; an error page when there is none. */
  async function loadPendingStep(ctx: Context, stage: string) {
    const details = await loadPostedInteraction(provider, csrf, ctx, 'login');
    if (!details) return undefined;
    const step = await pending.find(details.uid);
    const account = step && step.stage === stage ? await accounts.findById(step.accountId) : null;
    if (!step || !account || account.disabled) {
      ctx.status = 400;
      ctx.type = 'html';
      const t = language(ctx, details);
      ctx.body = messagePage(t.messages.cannotContinueTitle, t.messages.stepMismatch, [], t);
      return undefined;
    }
    return { details, account, step };
  }

  /** Every factor is checked; the company step decides which company the session acts in. */
  async function signedIn(ctx: Context, account: AccountRecord, amr: string[], details: InteractionDetails) {
    await company.decide(ctx, details, account.id, amr);
  }

  async function completeSignIn(
    ctx: Context,
    details: InteractionDetails,
    accountId: string,
    amr: string[] | undefined,
    tenantId: string | null,
  ) {
    await pending.clear(details.uid);
    // A session that was already signed in only chooses its company; a sign-in also reports how it signed in.
    if (!amr) return finish(ctx, { [COMPANY_RESULT]: tenantId }, false);
    const acr = amr.includes('otp') ? ACR_MULTI_FACTOR : ACR_PASSWORD;
    await finish(ctx, { login: { accountId, amr, acr }, [COMPANY_RESULT]: tenantId }, false);
  }

  async function refuseSignIn(ctx: Context, details: InteractionDetails, description: string) {
    await pending.clear(details.uid);
    await finish(ctx, { error: 'access_denied', error_description: description }, false);
  }

  /** Hands the result back to oidc-provider and sends the browser on to resume the authorization request. */
  async function finish(ctx: Context, result: InteractionResults, mergeWithLastSubmission: boolean) {
    const resumeUrl = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission });
    ctx.status = 303;
    ctx.redirect(resumeUrl);
  }

  async function renderLogin(ctx: Context, details: InteractionDetails, extra: { error?: string; email?: string } = {}) {
    const client = await provider.Client.find(String(details.params.client_id));
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
    ctx.type = 'html';
    ctx.body = loginPage({
      t: language(ctx, details),
      action: action(details, 'login'),
      abortAction: action(details, 'abort'),
      csrfToken: csrf.issue(details.uid),
      clientName: client?.clientName ?? String(details.params.client_id),
      email: extra.email ?? hint,
      error: extra.error,
    });
  }

  async function renderPendingStep(ctx: Context, details: InteractionDetails, accountId: string, error?: string) {
    const step = await pending.find(details.uid);
    const account = await accounts.findById(accountId);
    const t = language(ctx, details);
    const common = { t, abortAction: action(details, 'abort'), csrfToken: csrf.issue(details.uid), error };
    ctx.type = 'html';
    if (step?.stage === 'enrol' && account) {
      const uri = await mfa.enrolmentQr(account, step.secret);
      ctx.body = enrolPage({
        ...common,
        action: action(details, 'enrol'),
        secret: step.secret,
        qrDataUrl: uri,
        reason: t.enrol.requiredByCompany,
      });
      return;
    }
    if (step?.stage === 'second-factor') {
      ctx.body = secondFactorPage({ ...common, action: action(details, 'second-factor') });
      return;
    }
    // Recovery codes are never shown twice; a reload of that page just asks to continue.
    ctx.body = recoveryCodesPage({ t, action: action(details, 'continue'), csrfToken: common.csrfToken, codes: [], buttonLabel: t.common.continue });
  }

  return router;
}

/** What the sign-in is for, so its audit events go to the trail of the company it will act in. */
function signInContext(details: InteractionDetails) {
  return { clientId: String(details.params.client_id), requestedCompany: requestedCompany(details) };
}
