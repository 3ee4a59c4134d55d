import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { InteractionResults } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { InvalidCredentialsError, type AccountService } from '../accounts/index.js';
import type { CsrfTokens } from './csrf.js';
import { describeOidcScope, describeResourceScope } from './scope-descriptions.js';
import { consentPage, loginPage, messagePage } from './views/pages.js';

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

interface PromptDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

export interface InteractionRouteDependencies {
  provider: Provider;
  accounts: AccountService;
  csrf: CsrfTokens;
  basePath: string;
}

const FORM_LIMIT = '16kb';

/**
 * The server-rendered pages oidc-provider sends the browser to: login and consent. Each POST is bound to its
 * interaction (cookie + uid in the path) and carries a CSRF token.
 */
export function interactionRoutes(deps: InteractionRouteDependencies): Router {
  const { provider, accounts, csrf, basePath } = deps;
  const router = new Router({ prefix: basePath });
  const form = bodyParser({ enableTypes: ['form'], formLimit: FORM_LIMIT });

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  router.get('/:uid', async (ctx) => {
    const details = await loadInteraction(provider, ctx);
    if (!details) return;
    await render(ctx, details);
  });

  router.post('/:uid/login', form, async (ctx) => {
    const details = await loadPostedInteraction(provider, csrf, ctx, 'login');
    if (!details) return;
    const { email, password } = formFields(ctx);
    try {
      const account = await accounts.authenticate(email, password);
      await finish(ctx, { login: { accountId: account.id, amr: ['pwd'] } }, false);
    } catch (error) {
      if (!(error instanceof InvalidCredentialsError)) throw error;
      ctx.status = 401;
      await render(ctx, details, { error: error.message, email: typeof email === 'string' ? email : undefined });
    }
  });

  router.post('/:uid/confirm', form, async (ctx) => {
    const details = await loadPostedInteraction(provider, csrf, ctx, 'consent');
    if (!details) return;
    const grantId = await saveConsent(provider, details);
    await finish(ctx, { consent: { grantId } }, true);
  });

  router.post('/:uid/abort', form, async (ctx) => {
    const details = await loadPostedInteraction(provider, csrf, ctx);
    if (!details) return;
    await finish(ctx, { error: 'access_denied', error_description: 'The user cancelled the request.' }, false);
  });

  /** Hands the result back to oidc-provider and sends the browser on to resume the authorization request. */
  async function finish(ctx: Context, result: InteractionResults, mergeWithLastSubmission: boolean) {
    const resumeUrl = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission });
    ctx.status = 303;
    ctx.redirect(resumeUrl);
  }

  async function render(ctx: Context, details: InteractionDetails, extra: { error?: string; email?: string } = {}) {
    const client = await provider.Client.find(String(details.params.client_id));
    const clientName = client?.clientName ?? String(details.params.client_id);
    const action = (step: string) => `${basePath}/${details.uid}/${step}`;
    const csrfToken = csrf.issue(details.uid);
    ctx.type = 'html';
    if (details.prompt.name === 'login') {
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
      ctx.body = loginPage({
        action: action('login'),
        abortAction: action('abort'),
        csrfToken,
        clientName,
        email: extra.email ?? hint,
        error: extra.error,
      });
      return;
    }
    if (details.prompt.name === 'consent') {
      ctx.body = consentPage({
        action: action('confirm'),
        abortAction: action('abort'),
        csrfToken,
        clientName,
        sections: consentSections(details.prompt.details as PromptDetails),
      });
      return;
    }
    ctx.status = 400;
    ctx.body = messagePage('Cannot continue', `Unsupported step: ${details.prompt.name}.`);
  }

  return router;
}

/** The interaction named in the path, if the browser's cookie says it is this browser's; else an error page. */
async function loadInteraction(provider: Provider, ctx: Context): Promise<InteractionDetails | undefined> {
  let details: InteractionDetails;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch {
    return expired(ctx);
  }
  if (details.uid !== ctx.params.uid) return expired(ctx);
  return details;
}

async function loadPostedInteraction(
  provider: Provider,
  csrf: CsrfTokens,
  ctx: Context,
  expectedPrompt?: string,
): Promise<InteractionDetails | undefined> {
  const details = await loadInteraction(provider, ctx);
  if (!details) return undefined;
  if (!csrf.verify(details.uid, formFields(ctx).csrf)) {
    ctx.status = 403;
    ctx.type = 'html';
    ctx.body = messagePage('Request refused', 'The form could not be verified. Go back and try again.');
    return undefined;
  }
  if (expectedPrompt && details.prompt.name !== expectedPrompt) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = messagePage('Cannot continue', 'This step does not match the sign-in in progress.');
    return undefined;
  }
  return details;
}

function expired(ctx: Context): undefined {
  ctx.status = 400;
  ctx.type = 'html';
  ctx.body = messagePage('Sign-in expired', 'This sign-in is no longer valid. Go back to the application and start again.');
  return undefined;
}

function formFields(ctx: Context): Record<string, unknown> {
  const body = (ctx.request as { body?: unknown }).body;
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

async function saveConsent(provider: Provider, details: InteractionDetails): Promise<string> {
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id);
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error('grant vanished during consent');
  const prompt = details.prompt.details as PromptDetails;
  if (prompt.missingOIDCScope?.length) grant.addOIDCScope(prompt.missingOIDCScope.join(' '));
  if (prompt.missingOIDCClaims?.length) grant.addOIDCClaims(prompt.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

function consentSections(prompt: PromptDetails) {
  const sections = [];
  if (prompt.missingOIDCScope?.length) {
    sections.push({
      title: 'Your account',
      scopes: prompt.missingOIDCScope.map((name) => ({ name, description: describeOidcScope(name) })),
    });
  }
  for (const [indicator, scopes] of Object.entries(prompt.missingResourceScopes ?? {})) {
    sections.push({
      title: indicator,
      scopes: scopes.map((name) => ({ name, description: describeResourceScope(name, indicator) })),
    });
  }
  return sections;
}
