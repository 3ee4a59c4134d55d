import { html, page } from './html.js';
import { errorBlock } from './pages.js';

/**
 * The device flow's pages (RFC 8628): enter the code a TV or command line shows, confirm it is that device, done.
 * Every string sits in DEVICE_TEXT, so a translation replaces one object. The forms post to oidc-provider's
 * /device endpoint with its CSRF token (`xsrf`, bound to the browser session); no inline script, as on every page.
 */
export const DEVICE_TEXT = {
  inputTitle: 'Connect a device',
  inputLead: 'Enter the code shown on your device.',
  codeLabel: 'Code',
  continue: 'Continue',
  wrongCode: 'That code is not valid or has expired. Check the device and try again.',
  aborted: 'The sign-in was cancelled.',
  failed: 'The code could not be checked. Try again.',
  confirmTitle: 'Confirm the device',
  confirmLead: 'wants to sign in on a device as you.',
  confirmCheck: 'Continue only if your device shows this code:',
  requestedFrom: 'Requested from',
  confirmWarning: 'If you did not start this on a device you own, or the code differs, cancel.',
  confirm: 'Yes, continue',
  cancel: 'Cancel',
  expiredTitle: 'Start again',
  expired: 'This page has expired. Open it again and enter the code shown on your device.',
  startAgain: 'Enter the code',
  successTitle: 'Device connected',
  success: 'The device is signed in. You can close this page and return to it.',
} as const;

/** Why the code page is shown again: oidc-provider's re-render errors, by name. */
export type DeviceCodeProblem = 'wrong-code' | 'aborted' | 'failed';

const PROBLEM_TEXT: Record<DeviceCodeProblem, string> = {
  'wrong-code': DEVICE_TEXT.wrongCode,
  aborted: DEVICE_TEXT.aborted,
  failed: DEVICE_TEXT.failed,
};

export interface DeviceCodeInputView {
  action: string;
  csrfToken: string;
  problem?: DeviceCodeProblem;
  /** From a verification_uri_complete link: the field comes filled in and the user only confirms. */
  userCode?: string;
}

export function deviceCodeInputPage(view: DeviceCodeInputView): string {
  return page(
    DEVICE_TEXT.inputTitle,
    html`<h1>${DEVICE_TEXT.inputTitle}</h1>
<p class="lead">${DEVICE_TEXT.inputLead}</p>
${errorBlock(view.problem && PROBLEM_TEXT[view.problem])}
<form method="post" action="${view.action}" autocomplete="off">
<input type="hidden" name="xsrf" value="${view.csrfToken}">
<label for="user_code">${DEVICE_TEXT.codeLabel}</label>
<input id="user_code" name="user_code" type="text" required autofocus autocapitalize="characters" spellcheck="false" maxlength="32" value="${view.userCode ?? ''}">
<button type="submit">${DEVICE_TEXT.continue}</button>
</form>`,
  );
}

export interface DeviceConfirmView {
  action: string;
  csrfToken: string;
  clientName: string;
  userCode: string;
  /** Where the device asked from (its IP address), so the user can tell a phishing attempt from their own TV. */
  requestedFrom?: string;
}

export function deviceConfirmPage(view: DeviceConfirmView): string {
  const hidden = html`<input type="hidden" name="xsrf" value="${view.csrfToken}">
<input type="hidden" name="user_code" value="${view.userCode}">`;
  return page(
    DEVICE_TEXT.confirmTitle,
    html`<h1>${DEVICE_TEXT.confirmTitle}</h1>
<p class="lead"><strong>${view.clientName}</strong> ${DEVICE_TEXT.confirmLead}</p>
<p>${DEVICE_TEXT.confirmCheck} <code class="secret">${view.userCode}</code></p>
${view.requestedFrom ? html`<p class="aside">${DEVICE_TEXT.requestedFrom} ${view.requestedFrom}</p>` : ''}
<p class="aside">${DEVICE_TEXT.confirmWarning}</p>
<form method="post" action="${view.action}">
${hidden}
<input type="hidden" name="confirm" value="yes">
<button type="submit">${DEVICE_TEXT.confirm}</button>
</form>
<form method="post" action="${view.action}">
${hidden}
<input type="hidden" name="abort" value="yes">
<button type="submit" class="secondary">${DEVICE_TEXT.cancel}</button>
</form>`,
  );
}

export function deviceSuccessPage(): string {
  return page(DEVICE_TEXT.successTitle, html`<h1>${DEVICE_TEXT.successTitle}</h1><p>${DEVICE_TEXT.success}</p>`);
}

/** A form posted without the browser session that issued its CSRF token (expired, or not from this browser). */
export function deviceSessionExpiredPage(inputUrl: string): string {
  return page(
    DEVICE_TEXT.expiredTitle,
    html`<h1>${DEVICE_TEXT.expiredTitle}</h1><p>${DEVICE_TEXT.expired}</p><p><a href="${inputUrl}">${DEVICE_TEXT.startAgain}</a></p>`,
  );
}
