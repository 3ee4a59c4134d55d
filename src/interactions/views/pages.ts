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
<p class="aside"><a href="/account/password-reset">Forgot your password?</a></p>
${cancelForm(view)}`,
  );
}

export interface StepView {
  action: string;
  abortAction: string;
  csrfToken: string;
  error?: string;
}

export function secondFactorPage(view: StepView): string {
  return page(
    'Two-step verification',
    html`<h1>Two-step verification</h1>
<p class="lead">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
${errorBlock(view.error)}
<form method="post" action="${view.action}" autocomplete="off">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="code">Code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus maxlength="32">
<button type="submit">Verify</button>
</form>
${cancelForm(view)}`,
  );
}

export interface EnrolView extends StepView {
  qrDataUrl: string;
  secret: string;
  /** Shown when a company requires the second factor. */
  reason?: string;
}

export function enrolPage(view: EnrolView): string {
  return page(
    'Set up two-step verification',
    html`<h1>Set up two-step verification</h1>
<p class="lead">${view.reason ?? 'Add an extra step to your sign-in.'}</p>
${errorBlock(view.error)}
<ol class="steps">
<li>Open an authenticator app (for example FreeOTP, Aegis or Google Authenticator) and scan this code:
<img class="qr" src="${view.qrDataUrl}" alt="QR code for your authenticator app" width="200" height="200"></li>
<li>Or enter this key by hand: <code class="secret">${groupInFours(view.secret)}</code></li>
<li>Type the 6-digit code the app shows.</li>
</ol>
<form method="post" action="${view.action}" autocomplete="off">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="code">Code from the app</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength="8">
<button type="submit">Turn on</button>
</form>
${cancelForm(view)}`,
  );
}

export function recoveryCodesPage(view: { action: string; csrfToken: string; codes: string[]; buttonLabel: string }): string {
  return page(
    'Recovery codes',
    html`<h1>Save your recovery codes</h1>
<p class="lead">Each code signs you in once if you lose your authenticator. They are shown only now: store them
somewhere safe, such as a password manager.</p>
<ul class="codes">${view.codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit">${view.buttonLabel}</button>
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

function cancelForm(view: { abortAction: string; csrfToken: string }): SafeHtml {
  return html`<form method="post" action="${view.abortAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">Cancel</button>
</form>`;
}

function groupInFours(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function errorBlock(error: string | undefined): SafeHtml {
  return error ? html`<p class="error" role="alert">${error}</p>` : html``;
}
