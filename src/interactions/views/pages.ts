import { html, page, SafeHtml } from './html.js';

export interface LoginView {
  action: string;
  csrfToken: string;
  clientName: string;
  email?: string;
  error?: string;
  abortAction: string;
}

export function loginPage(view: LoginView): string {
  return page(
    'Sign in',
    html`<h1>Sign in</h1>
<p class="lead">to continue to <strong>${view.clientName}</strong></p>
${errorBlock(view.error)}
<form method="post" action="${view.action}" autocomplete="on">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${view.email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<form method="post" action="${view.abortAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">Cancel</button>
</form>`,
  );
}

export interface ConsentView {
  action: string;
  abortAction: string;
  csrfToken: string;
  clientName: string;
  /** Scopes grouped by the API that receives them; the OpenID scopes are under "Your account". */
  sections: Array<{ title: string; scopes: Array<{ name: string; description: string }> }>;
}

export function consentPage(view: ConsentView): string {
  return page(
    'Allow access',
    html`<h1>Allow access?</h1>
<p class="lead"><strong>${view.clientName}</strong> asks to:</p>
${view.sections.map(
  (section) => html`<section><h2>${section.title}</h2><ul class="scopes">${section.scopes.map(
    (scope) => html`<li><span class="scope-name">${scope.name}</span> ${scope.description}</li>`,
  )}</ul></section>`,
)}
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit">Allow</button>
</form>
<form method="post" action="${view.abortAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">Deny</button>
</form>`,
  );
}

export function messagePage(title: string, message: string, details: Array<[string, string]> = []): string {
  return page(
    title,
    html`<h1>${title}</h1><p>${message}</p>${details.length ? html`<dl>${details.map(
      ([term, description]) => html`<dt>${term}</dt><dd>${description}</dd>`,
    )}</dl>` : ''}`,
  );
}

/**
 * oidc-provider hands over its own hidden form (with its CSRF token), built from values it escaped itself;
 * the buttons submit it.
 */
export function logoutConfirmPage(providerForm: string, host: string): string {
  return page(
    'Sign out',
    html`<h1>Sign out of ${host}?</h1>
${new SafeHtml(providerForm)}
<button type="submit" form="op.logoutForm" value="yes" name="logout" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
  );
}

function errorBlock(error: string | undefined): SafeHtml {
  return error ? html`<p class="error" role="alert">${error}</p>` : html``;
}
