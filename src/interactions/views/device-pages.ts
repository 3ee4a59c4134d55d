import type { Messages } from '../../i18n/index.js';
import { fill, html, page } from './html.js';
import { describedBy, errorBlock, type Localised } from './pages.js';

/**
 * The device flow's pages (RFC 8628): enter the code a TV or command line shows, confirm it is that device, done.
 * The words come from the request's catalogue (`t.device`, src/i18n). The forms post to oidc-provider's /device
 * endpoint with its CSRF token (`xsrf`, bound to the browser session); no inline script, as on every page.
 */

/** Why the code page is shown again: oidc-provider's re-render errors, by name. */
export type DeviceCodeProblem = 'wrong-code' | 'aborted' | 'failed';

function problemText(problem: DeviceCodeProblem, t: Messages): string {
  if (problem === 'wrong-code') return t.device.wrongCode;
  if (problem === 'aborted') return t.device.aborted;
  return t.device.failed;
}

export interface DeviceCodeInputView extends Localised {
  action: string;
  csrfToken: string;
  problem?: DeviceCodeProblem;
  /** From a verification_uri_complete link: the field comes filled in and the user only confirms. */
  userCode?: string;
}

export function deviceCodeInputPage(view: DeviceCodeInputView): string {
  const { t } = view;
  const error = view.problem && problemText(view.problem, t);
  return page(
    t.device.inputTitle,
    html`<h1>${t.device.inputTitle}</h1>
<p class="lead" id="code-hint">${t.device.inputLead}</p>
${errorBlock(error, t)}
<form method="post" action="${view.action}" autocomplete="off">
<input type="hidden" name="xsrf" value="${view.csrfToken}">
<label for="user_code">${t.device.codeLabel}</label>
<input id="user_code" name="user_code" type="text" required autofocus autocapitalize="characters" spellcheck="false" maxlength="32"${describedBy(error, 'code-hint')} value="${view.userCode ?? ''}">
<button type="submit">${t.common.continue}</button>
</form>`,
    { lang: t.locale },
  );
}

export interface DeviceConfirmView extends Localised {
  action: string;
  csrfToken: string;
  clientName: string;
  userCode: string;
  /** Where the device asked from (its IP address), so the user can tell a phishing attempt from their own TV. */
  requestedFrom?: string;
}

export function deviceConfirmPage(view: DeviceConfirmView): string {
  const { t } = view;
  const hidden = html`<input type="hidden" name="xsrf" value="${view.csrfToken}">
<input type="hidden" name="user_code" value="${view.userCode}">`;
  return page(
    t.device.confirmTitle,
    html`<h1>${t.device.confirmTitle}</h1>
<p class="lead">${fill(t.device.confirmLead, { client: html`<strong>${view.clientName}</strong>` })}</p>
<p>${t.device.confirmCheck} <code class="secret">${view.userCode}</code></p>
${view.requestedFrom ? html`<p class="aside">${fill(t.device.requestedFrom, { address: view.requestedFrom })}</p>` : ''}
<p class="aside">${t.device.confirmWarning}</p>
<form method="post" action="${view.action}">
${hidden}
<input type="hidden" name="confirm" value="yes">
<button type="submit">${t.device.confirm}</button>
</form>
<form method="post" action="${view.action}">
${hidden}
<input type="hidden" name="abort" value="yes">
<button type="submit" class="secondary">${t.common.cancel}</button>
</form>`,
    { lang: t.locale },
  );
}

export function deviceSuccessPage(t: Messages): string {
  return page(t.device.successTitle, html`<h1>${t.device.successTitle}</h1><p>${t.device.success}</p>`, { lang: t.locale });
}

/** A form posted without the browser session that issued its CSRF token (expired, or not from this browser). */
export function deviceSessionExpiredPage(inputUrl: string, t: Messages): string {
  return page(
    t.device.expiredTitle,
    html`<h1>${t.device.expiredTitle}</h1><p>${t.device.expired}</p><p><a href="${inputUrl}">${t.device.startAgain}</a></p>`,
    { lang: t.locale },
  );
}
