import { errorBlock } from '../interactions/views/pages.js';
import { html, page, type SafeHtml } from '../interactions/views/html.js';
import type { SessionView } from '../sessions/index.js';

export interface AccountView {
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
  return page(
    'Your account',
    html`<div class="wide">
<h1>Your account</h1>
<p class="lead">${view.name ? html`${view.name} · ` : ''}${view.email}</p>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
<section aria-labelledby="sessions-heading">
<h2 id="sessions-heading">Where you are signed in</h2>
<table>
<thead><tr><th scope="col">Device</th><th scope="col">Signed in</th><th scope="col">Last active</th><th scope="col">Apps</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>
${view.sessions.map((session) => sessionRow(session, view.csrfToken))}
</tbody>
</table>
<form method="post" action="/account/sessions/revoke-others">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<button type="submit" class="secondary">Sign out everywhere else</button>
</form>
</section>
<section aria-labelledby="security-heading">
<h2 id="security-heading">Security</h2>
<p><a href="/account/password">Change your password</a></p>
<p>Two-step verification: <strong>${view.mfaEnrolled ? 'on' : 'off'}</strong>
${view.mfaEnrolled ? html` (${view.recoveryCodesLeft} recovery codes left)` : ''} · <a href="/account/mfa">${view.mfaEnrolled ? 'Manage' : 'Set up'}</a></p>
</section>
<p><a href="${view.signOutUrl}">Sign out</a></p>
</div>`,
  );
}

function sessionRow(session: SessionView, csrfToken: string): SafeHtml {
  return html`<tr>
<td>${session.userAgent ?? 'Unknown device'}<br><small>${session.ip ?? ''}</small> ${session.current ? html`<span class="badge">this browser</span>` : ''}</td>
<td>${formatTime(session.createdAt)}</td>
<td>${formatTime(session.lastUsedAt)}</td>
<td>${session.clients.join(', ')}</td>
<td><form class="inline" method="post" action="/account/sessions/${session.id}/revoke">
<input type="hidden" name="csrf" value="${csrfToken}">
<button type="submit" aria-label="Sign out this session">Sign out</button>
</form></td>
</tr>`;
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface FormView {
  csrfToken: string;
  error?: string;
  feedback?: string[];
}

export function passwordChangePage(view: FormView): string {
  return page(
    'Change password',
    html`<h1>Change your password</h1>
${errorBlock(view.error)}${feedbackList(view.feedback)}
<form method="post" action="/account/password">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="current">Current password</label>
<input id="current" name="current_password" type="password" autocomplete="current-password" required autofocus>
<label for="new">New password</label>
<input id="new" name="new_password" type="password" autocomplete="new-password" required minlength="8">
<button type="submit">Change password</button>
</form>
<p class="aside">Every session, including this one, is signed out afterwards.</p>
<p class="aside"><a href="/account">Back to your account</a></p>`,
  );
}

export function resetRequestPage(view: { csrfToken: string; sent?: boolean }): string {
  return page(
    'Reset password',
    html`<h1>Reset your password</h1>
${view.sent ? html`<p class="notice" role="status">If that address belongs to an account, a reset link is on its way.</p>` : ''}
<form method="post" action="/account/password-reset">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus>
<button type="submit">Send reset link</button>
</form>`,
  );
}

export function resetPage(view: FormView & { action: string; email: string }): string {
  return page(
    'Choose a new password',
    html`<h1>Choose a new password</h1>
<p class="lead">for ${view.email}</p>
${errorBlock(view.error)}${feedbackList(view.feedback)}
<form method="post" action="${view.action}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="new">New password</label>
<input id="new" name="new_password" type="password" autocomplete="new-password" required minlength="8" autofocus>
<button type="submit">Set password</button>
</form>`,
  );
}

export function mfaManagePage(view: FormView & { recoveryCodesLeft: number }): string {
  return page(
    'Two-step verification',
    html`<h1>Two-step verification is on</h1>
<p class="lead">${view.recoveryCodesLeft} recovery codes left.</p>
${errorBlock(view.error)}
<form method="post" action="/account/mfa/disable">
<input type="hidden" name="csrf" value="${view.csrfToken}">
<label for="password">Your password, to turn it off</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Turn off two-step verification</button>
</form>
<p class="aside">Turning it off signs you out everywhere.</p>
<p class="aside"><a href="/account">Back to your account</a></p>`,
  );
}

function feedbackList(feedback: string[] | undefined): SafeHtml {
  return feedback?.length ? html`<ul class="feedback">${feedback.map((line) => html`<li>${line}</li>`)}</ul>` : html``;
}
