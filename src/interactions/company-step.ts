import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { AuditRecorder } from '../audit/index.js';
import { messagesForRequest, type Messages } from '../i18n/index.js';
import { requestMeta } from '../http/request-meta.js';
import { ACCOUNT_PORTAL_CLIENT_ID, COMPANY_PROMPT } from '../oidc/index.js';
import type { TenantService } from '../tenants/index.js';
import { chooseCompany, requestedCompany } from './company-choice.js';
import type { CsrfTokens } from './csrf.js';
import { formFields, loadPostedInteraction, sendMessage, type InteractionDetails } from './interaction-loader.js';
import type { PendingLogins } from './pending-login.js';
import { companyChoicePage } from './views/company-page.js';

export interface CompanyStepDependencies {
  provider: Provider;
  tenants: TenantService;
  pending: PendingLogins;
  csrf: CsrfTokens;
  audit: AuditRecorder;
  basePath: string;
}

/**
 * Ends the step acting in `tenantId` (null: no company); supplied by the interaction routes. `amr` is how a
 * sign-in that ends here signed in; undefined for a session that was already signed in (the company prompt).
 */
export type CompleteSignIn = (
  ctx: Context,
  details: InteractionDetails,
  accountId: string,
  amr: string[] | undefined,
  tenantId: string | null,
) => Promise<void>;
/** Ends the authorization request with an OAuth error for the client. */
export type RefuseSignIn = (ctx: Context, details: InteractionDetails, description: string) => Promise<void>;

const NOT_A_MEMBER = 'The account is not a member of the requested company.';

/**
 * Which company the session acts in: the last sign-in step, and the company prompt for a session already signed
 * in. An account in several companies picks one on a page (unless the client named one with `tenant` or
 * `login_hint=tenant:<slug>`); a named company the account does not belong to ends the request with
 * access_denied. The account pages act in no company, so they never ask.
 */
export function companyStep(deps: CompanyStepDependencies, complete: CompleteSignIn, refuse: RefuseSignIn) {
  const { provider, tenants, pending, csrf, audit, basePath } = deps;

  async function decide(ctx: Context, details: InteractionDetails, accountId: string, amr?: string[]): Promise<void> {
    const choice = chooseCompany(await tenants.companiesOf(accountId), requestedCompany(details));
    if (choice.outcome === 'refused') return refuse(ctx, details, NOT_A_MEMBER);
    if (choice.outcome === 'chosen') return chosen(ctx, details, accountId, amr, choice.company?.id ?? null);
    if (details.params.client_id === ACCOUNT_PORTAL_CLIENT_ID) return complete(ctx, details, accountId, amr, null);
    await pending.save(details.uid, { accountId, stage: 'choose-company', amr });
    ctx.status = 303;
    ctx.redirect(`${basePath}/${details.uid}`);
  }

  async function chosen(ctx: Context, details: InteractionDetails, accountId: string, amr: string[] | undefined, tenantId: string | null) {
    if (tenantId) {
      const meta = requestMeta(ctx);
      await audit.record({
        type: 'login.company_chosen',
        tenantId,
        subject: accountId,
        actor: accountId,
        resource: String(details.params.client_id),
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    }
    await complete(ctx, details, accountId, amr, tenantId);
  }

  /** The page language, as on the other sign-in pages: the relying party's `ui_locales`, else Accept-Language. */
  const language = (ctx: Context, details: InteractionDetails): Messages =>
    messagesForRequest(ctx.get('accept-language'), details.params.ui_locales);

  /** The chooser; `unlisted`: the posted company is not one of the account's, said on the page as an error. */
  async function render(ctx: Context, details: InteractionDetails, accountId: string, unlisted = false): Promise<void> {
    const client = await provider.Client.find(String(details.params.client_id));
    const companies = await tenants.companiesOf(accountId);
    const t = language(ctx, details);
    ctx.type = 'html';
    ctx.body = companyChoicePage({
      t,
      action: `${basePath}/${details.uid}/company`,
      abortAction: `${basePath}/${details.uid}/abort`,
      csrfToken: csrf.issue(details.uid),
      clientName: client?.clientName ?? String(details.params.client_id),
      companies: companies.map(({ slug, name }) => ({ slug, name })),
      error: unlisted ? t.company.chooseOne : undefined,
    });
  }

  /** POST /:uid/company: the posted slug must be one of the account's companies, else the page again with 400. */
  function register(router: Router, form: Middleware): void {
    router.post('/:uid/company', form, async (ctx) => {
      const details = await loadPostedInteraction(provider, csrf, ctx);
      if (!details) return;
      const step = await pending.find(details.uid);
      if (step?.stage !== 'choose-company' || !['login', COMPANY_PROMPT].includes(details.prompt.name)) {
        return sendMessage(ctx, 400, 'Cannot continue', 'This step does not match the sign-in in progress.');
      }
      const slug = formFields(ctx).company;
      const company = (await tenants.companiesOf(step.accountId)).find((tenant) => tenant.slug === slug);
      if (!company) {
        ctx.status = 400;
        return render(ctx, details, step.accountId, true);
      }
      await chosen(ctx, details, step.accountId, step.amr, company.id);
    });
  }

  return { decide, render, register };
}
