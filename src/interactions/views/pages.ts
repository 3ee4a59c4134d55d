import { messagesFor, translateDomainText, type Messages } from '../../i18n/index.js';
import { fill, html, page, SafeHtml } from './html.js';

/** Every page's words come from `t`, the request's catalogue (src/i18n); domain text is translated on the way in. */
export interface Localised {
  t: Messages;
}

export interface LoginView extends Localised {
  action: string;
  csrfToken: string;
  clientName: string;
  email?: string;
  error?: string;
  abortAction: string;
}

export function loginPage(view: LoginView): string {
  const { t } = view;
  // With the email already known (a hint, or a failed attempt), the cursor starts where typing continues.
  const focusPassword = !!view.email;
  return page(
    t.login.title,
    html`<h1>${t.login.title}</h1>
<p class="lead">${fill(t.login.continueTo, { client: html`<strong>${view.clientName}</strong>` })}</p>
${errorBlock(view.error, t)}
<form method="post" action="${view.action}" autocomplete="on">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="email">${t.common.email}</label>
<input id="email" name="email" type="email" autocomplete="username" required${focusPassword ? '' : html` autofocus`}${describedBy(view.error)} value="${view.email ?? ''}">
<label for="password">${t.common.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${focusPassword ? html` autofocus` : ''}${describedBy(view.error)}>
<button type="submit">${t.login.submit}</button>
</form>
<p class="aside"><a href="/account/password-reset">${t.login.forgotPassword}</a></p>
${cancelForm(view)}`,
    { lang: t.locale },
  );
}

export interface StepView extends Localised {
  action: string;
  abortAction: string;
  csrfToken: string;
  error?: string;
}

export function secondFactorPage(view: StepView): string {
  const { t } = view;
  return page(
    t.secondFactor.title,
    html`<h1>${t.secondFactor.title}</h1>
<p class="lead" id="code-hint">${t.secondFactor.lead}</p>
${errorBlock(view.error, t)}
<form method="post" action="${view.action}" autocomplete="off">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="code">${t.secondFactor.code}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus maxlength="32"${describedBy(view.error, 'code-hint')}>
<button type="submit">${t.secondFactor.submit}</button>
</form>
${cancelForm(view)}`,
    { lang: t.locale },
  );
}

export interface EnrolView extends StepView {
  qrDataUrl: string;
  secret: string;
  /** Shown when a company requires the second factor. */
  reason?: string;
}

export function enrolPage(view: EnrolView): string {
  const { t } = view;
  return page(
    t.enrol.title,
    html`<h1>${t.enrol.title}</h1>
<p class="lead">${view.reason ?? t.enrol.lead}</p>
${errorBlock(view.error, t)}
<ol class="steps">
<li>${t.enrol.scan}
<img class="qr" src="${view.qrDataUrl}" alt="${t.enrol.qrAlt}" width="200" height="200"></li>
<li>${t.enrol.typeKey} <code class="secret">${groupInFours(view.secret)}</code></li>
<li id="code-hint">${t.enrol.typeCode}</li>
</ol>
<form method="post" action="${view.action}" autocomplete="off">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="code">${t.enrol.code}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus maxlength="8"${describedBy(view.error, 'code-hint')}>
<button type="submit">${t.enrol.submit}</button>
</form>
${cancelForm(view)}`,
    { lang: t.locale },
  );
}

export function recoveryCodesPage(view: Localised & { action: string; csrfToken: string; codes: string[]; buttonLabel: string }): string {
  const { t } = view;
  return page(
    t.recoveryCodes.title,
    html`<h1>${t.recoveryCodes.heading}</h1>
<p class="lead">${t.recoveryCodes.lead}</p>
<ul class="codes">${view.codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" autofocus>${view.buttonLabel}</button>
</form>`,
    { lang: t.locale },
  );
}

export interface ConsentView extends Localised {
  action: string;
  abortAction: string;
  csrfToken: string;
  clientName: string;
  /** Scopes grouped by the API that receives them; the OpenID scopes are under "Your account". */
  sections: Array<{ title: string; scopes: Array<{ name: string; description: string }> }>;
}

export function consentPage(view: ConsentView): string {
  const { t } = view;
  const say = (text: string) => translateDomainText(text, t.locale);
  return page(
    t.consent.title,
    html`<h1>${t.consent.heading}</h1>
<p class="lead">${fill(t.consent.asks, { client: html`<strong>${view.clientName}</strong>` })}</p>
${view.sections.map(
  (section) => html`<section><h2>${say(section.title)}</h2><ul class="scopes">${section.scopes.map(
    (scope) => html`<li><span class="scope-name">${scope.name}</span> ${say(scope.description)}</li>`,
  )}</ul></section>`,
)}
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" autofocus>${t.consent.allow}</button>
</form>
<form method="post" action="${view.abortAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">${t.consent.deny}</button>
</form>`,
    { lang: t.locale },
  );
}

/**
 * A title and a sentence, optionally with details and a way on (a link). Callers outside the views pass English
 * domain text and may leave out `t`; known sentences are translated when a catalogue is given.
 */
export function messagePage(
  title: string,
  message: string,
  details: Array<[string, string]> = [],
  t: Messages = messagesFor('en'),
  next?: { href: string; label: string },
): string {
  const say = (text: string) => translateDomainText(text, t.locale);
  return page(
    say(title),
    html`<h1>${say(title)}</h1><p>${say(message)}</p>${details.length ? html`<dl>${details.map(
      ([term, description]) => html`<dt>${term}</dt><dd>${description}</dd>`,
    )}</dl>` : ''}${next ? html`<p><a class="button-link" href="${next.href}">${next.label}</a></p>` : ''}`,
    { lang: t.locale },
  );
}

/**
 * oidc-provider hands over its own hidden form (with its CSRF token), built from values it escaped itself;
 * the buttons submit it.
 */
export function logoutConfirmPage(providerForm: string, host: string, t: Messages = messagesFor('en')): string {
  return page(
    t.logout.title,
    html`<h1>${fill(t.logout.heading, { host })}</h1>
${new SafeHtml(providerForm)}
<button type="submit" form="op.logoutForm" value="yes" name="logout" autofocus>${t.logout.yes}</button>
<button type="submit" form="op.logoutForm" class="secondary">${t.logout.no}</button>`,
    { lang: t.locale },
  );
}

function cancelForm(view: Localised & { abortAction: string; csrfToken: string }): SafeHtml {
  return html`<form method="post" action="${view.abortAction}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">${view.t.common.cancel}</button>
</form>`;
}

function groupInFours(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The id the error paragraph carries, so the fields it is about can point at it (aria-describedby). */
export const ERROR_ID = 'form-error';

/** An error, announced when the page loads (role=alert); domain messages are translated to the page language. */
export function errorBlock(error: string | undefined, t?: Messages): SafeHtml {
  if (!error) return html``;
  return html`<p class="error" role="alert" id="${ERROR_ID}">${t ? translateDomainText(error, t.locale) : error}</p>`;
}

/** aria-describedby/aria-invalid for a field: the error (if any) first, then any standing hints. */
export function describedBy(error: string | undefined, ...hintIds: string[]): SafeHtml {
  const ids = [...(error ? [ERROR_ID] : []), ...hintIds];
  return html`${ids.length ? html` aria-describedby="${ids.join(' ')}"` : ''}${error ? html` aria-invalid="true"` : ''}`;
}
