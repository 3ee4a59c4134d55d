import { fill, html, page } from './html.js';
import { errorBlock, type Localised } from './pages.js';

export interface CompanyChoiceView extends Localised {
  action: string;
  abortAction: string;
  csrfToken: string;
  clientName: string;
  companies: Array<{ slug: string; name: string }>;
  error?: string;
}

/**
 * One button per company the account belongs to; no script, the form posts the slug of the button pressed.
 * The first company has the focus, as the main button of every other page does.
 */
export function companyChoicePage(view: CompanyChoiceView): string {
  const { t } = view;
  return page(
    t.company.title,
    html`<h1>${t.company.title}</h1>
<p class="lead">${fill(t.company.lead, { client: html`<strong>${view.clientName}</strong>` })}</p>
${errorBlock(view.error, t)}
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<ul class="companies">${view.companies.map(
      (company, index) =>
        html`<li><button type="submit" name="company" value="${company.slug}"${index === 0 ? html` autofocus` : ''}>${company.name}</button></li>`,
    )}</ul>
</form>
<form method="post" action="${view.abortAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">${t.common.cancel}</button>
</form>`,
    { lang: t.locale },
  );
}
