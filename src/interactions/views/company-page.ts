import { errorBlock } from './pages.js';
import { html, page } from './html.js';

export interface CompanyChoiceView {
  action: string;
  abortAction: string;
  csrfToken: string;
  clientName: string;
  companies: Array<{ slug: string; name: string }>;
  error?: string;
}

/** One button per company the account belongs to; no script, the form posts the slug of the button pressed. */
export function companyChoicePage(view: CompanyChoiceView): string {
  return page(
    'Choose a company',
    html`<h1>Choose a company</h1>
<p class="lead">Which company do you want to use <strong>${view.clientName}</strong> for?</p>
${errorBlock(view.error)}
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<ul class="companies">${view.companies.map(
      (company) => html`<li><button type="submit" name="company" value="${company.slug}">${company.name}</button></li>`,
    )}</ul>
</form>
<form method="post" action="${view.abortAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">Cancel</button>
</form>`,
  );
}
