import { translateDomainText, type Messages } from '../i18n/index.js';
import { fill, html, page, type SafeHtml } from '../interactions/views/html.js';
import { describedBy, errorBlock, type Localised } from '../interactions/views/pages.js';
import type { SessionView } from '../sessions/index.js';

export interface AccountView extends Localised {
  email: string;
  name: string | null;
  mfaEnrolled: boolean;
  recoveryCodesLeft: number;
  sessions: SessionView[];
  csrfToken: string;
  notice?: string;
  signOutUrl: string;
}

export function accountPage(view: AccountView): string {
  const { t } = view;
  const a = t.account;
  return page(
    a.title,
    html`<h1>${a.title}</h1>
<p class="lead">${view.name ? html`${view.name} · ` : ''}${view.email}</p>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
<section aria-labelledby="sessions-heading">
<h2 id="sessions-heading">${a.sessionsHeading}</h2>
<div class="table-scroll">
<table class="sessions">
<thead><tr><th scope="col">${a.device}</th><th scope="col">${a.signedIn}</th><th scope="col">${a.lastActive}</th><th scope="col">${a.apps}</th><th scope="col"><span class="visually-hidden">${a.action}</span></th></tr></thead>
<tbody>
${view.sessions.map((session) => sessionRow(session, view.csrfToken, t))}
</tbody>
</table>
</div>
<form method="post" action="/account/sessions/revoke-others">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">${a.signOutOthers}</button>
</form>
</section>
<section aria-labelledby="security-heading">
<h2 id="security-heading">${a.securityHeading}</h2>
<p><a href="/account/password">${a.changePassword}</a></p>
<p>${a.twoStep} <strong>${view.mfaEnrolled ? a.on : a.off}</strong>
${view.mfaEnrolled ? html` (${a.recoveryCodesLeft(view.recoveryCodesLeft)})` : ''} · <a href="/account/mfa">${view.mfaEnrolled ? a.manage : a.setUp}</a></p>
</section>
<section aria-labelledby="data-heading">
<h2 id="data-heading">${a.yourDataHeading}</h2>
<p><a href="/account/export" download>${a.downloadData}</a></p>
<p><a href="/account/delete">${a.deleteAccount}</a></p>
</section>
<p><a href="${view.signOutUrl}">${a.signOut}</a></p>`,
    { lang: t.locale, wide: true },
  );
}

function sessionRow(session: SessionView, csrfToken: string, t: Messages): SafeHtml {
  const a = t.account;
  return html`<tr>
<td data-label="${a.device}">${session.userAgent ?? a.unknownDevice}<br><small>${session.ip ?? ''}</small> ${session.current ? html`<span class="badge">${a.thisBrowser}</span>` : ''}</td>
<td data-label="${a.signedIn}">${formatTime(session.createdAt)}</td>
<td data-label="${a.lastActive}">${formatTime(session.lastUsedAt)}</td>
<td data-label="${a.apps}">${session.clients.join(', ')}</td>
<td><form class="inline" method="post" action="/account/sessions/${session.id}/revoke">
<input type="hidden" name="csrf" value="${csrfToken}">
<button type="submit" aria-label="${a.signOutSession}">${a.signOut}</button>
</form></td>
</tr>`;
}

/** UTC, to the minute, kept on one line (a date broken at its hyphens reads as two values). */
function formatTime(date: Date): SafeHtml {
  return html`<time datetime="${date.toISOString()}">${date.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;
}

export interface FormView extends Localised {
  csrfToken: string;
  error?: string;
  feedback?: string[];
}

const FEEDBACK_ID = 'password-feedback';

export function passwordChangePage(view: FormView): string {
  const { t } = view;
  const p = t.passwordChange;
  return page(
    p.title,
    html`<h1>${p.heading}</h1>
${errorBlock(view.error, t)}${feedbackList(view.feedback, t)}
<form method="post" action="/account/password">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="current">${p.current}</label>
<input id="current" name="current_password" type="password" autocomplete="current-password" required autofocus>
<label for="new">${p.new}</label>
<input id="new" name="new_password" type="password" autocomplete="new-password" required minlength="8"${describedBy(view.error, ...feedbackIds(view.feedback))}>
<button type="submit">${p.submit}</button>
</form>
<p class="aside">${p.signsOutEverywhere}</p>
<p class="aside"><a href="/account">${t.common.backToAccount}</a></p>`,
    { lang: t.locale },
  );
}

export function resetRequestPage(view: Localised & { csrfToken: string; sent?: boolean }): string {
  const { t } = view;
  const r = t.passwordReset;
  return page(
    r.requestTitle,
    html`<h1>${r.requestHeading}</h1>
<p class="lead">${r.requestLead}</p>
${view.sent ? html`<p class="notice" role="status">${r.sent}</p>` : ''}
<form method="post" action="/account/password-reset">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="email">${t.common.email}</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus>
<button type="submit">${r.send}</button>
</form>
<p class="aside"><a href="/account">${t.common.signIn}</a></p>`,
    { lang: t.locale },
  );
}

export function resetPage(view: FormView & { action: string; email: string }): string {
  const { t } = view;
  const r = t.passwordReset;
  return page(
    r.title,
    html`<h1>${r.title}</h1>
<p class="lead">${fill(r.forEmail, { email: view.email })}</p>
${errorBlock(view.error, t)}${feedbackList(view.feedback, t)}
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="new">${t.passwordChange.new}</label>
<input id="new" name="new_password" type="password" autocomplete="new-password" required minlength="8" autofocus${describedBy(view.error, ...feedbackIds(view.feedback))}>
<button type="submit">${r.submit}</button>
</form>`,
    { lang: t.locale },
  );
}

export function mfaManagePage(view: FormView & { recoveryCodesLeft: number }): string {
  const { t } = view;
  const m = t.mfaManage;
  return page(
    m.title,
    html`<h1>${m.heading}</h1>
<p class="lead">${t.account.recoveryCodesLeft(view.recoveryCodesLeft)}.</p>
${errorBlock(view.error, t)}
<form method="post" action="/account/mfa/disable">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="password">${m.passwordToTurnOff}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus${describedBy(view.error)}>
<button type="submit">${m.turnOff}</button>
</form>
<p class="aside">${m.signsOutEverywhere}</p>
<p class="aside"><a href="/account">${t.common.backToAccount}</a></p>`,
    { lang: t.locale },
  );
}

function feedbackIds(feedback: string[] | undefined): string[] {
  return feedback?.length ? [FEEDBACK_ID] : [];
}

/** The strength estimator's advice, in the page language where a translation exists. */
function feedbackList(feedback: string[] | undefined, t: Messages): SafeHtml {
  return feedback?.length
    ? html`<ul class="feedback" id="${FEEDBACK_ID}">${feedback.map((line) => html`<li>${translateDomainText(line, t.locale)}</li>`)}</ul>`
    : html``;
}

/** Deleting the account: the password again, behind the CSRF token, before anything happens. */
export function accountDeletionPage(view: FormView): string {
  const { t } = view;
  const d = t.accountDeletion;
  return page(
    d.title,
    html`<h1>${d.heading}</h1>
<p class="lead">${d.lead}</p>
${errorBlock(view.error, t)}
<form method="post" action="/account/delete">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="password">${d.password}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus${describedBy(view.error)}>
<button type="submit">${d.submit}</button>
</form>
<p class="aside"><a href="/account">${t.common.backToAccount}</a></p>`,
    { lang: t.locale },
  );
}
