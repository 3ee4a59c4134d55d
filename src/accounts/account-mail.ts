import type { MailMessage } from '../mail/index.js';

/**
 * The mails the account system sends, as plain text with a simple HTML twin. Deliberately bare: no remote images,
 * no tracking links, no styling to load; the only link is the one the mail is about. Every value that came from
 * outside is escaped in the HTML.
 */

/** A paragraph, or a link shown on its own line (its own text, so the reader sees exactly where it goes). */
type Block = string | { link: string };

export function passwordResetMail(input: { to: string; resetUrl: string; expiresInMinutes: number }): MailMessage {
  return render(input.to, 'Reset your password', [
    'Someone asked to reset the password of the account for this email address. If it was you, open this link ' +
      'to choose a new password:',
    { link: webLink(input.resetUrl) },
    `The link works once and expires in ${describeMinutes(input.expiresInMinutes)}.`,
    'If you did not ask for this, ignore this mail: your password stays as it is.',
  ]);
}

export function passwordChangedMail(input: { to: string; when: Date; ip?: string }): MailMessage {
  const where = input.ip ? ` from the address ${input.ip}` : '';
  return render(input.to, 'Your password was changed', [
    `The password of the account for this email address was changed on ${formatWhen(input.when)}${where}.`,
    'If this was you, there is nothing to do.',
    'If it was not, reset your password now with "Forgot your password?" on the sign-in page, and tell your ' +
      'administrator.',
  ]);
}

function render(to: string, subject: string, blocks: Block[]): MailMessage {
  const text = blocks.map((block) => (typeof block === 'string' ? block : block.link)).join('\n\n');
  const body = blocks
    .map((block) => {
      if (typeof block === 'string') return `<p>${escapeHtml(block)}</p>`;
      const href = escapeHtml(block.link);
      return `<p><a href="${href}">${href}</a></p>`;
    })
    .join('\n');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head><body>`,
    body,
    '</body></html>',
  ].join('\n');
  return { to, subject, text: `${text}\n`, html: `${html}\n` };
}

/** Only http(s) links go into an href: anything else (javascript:, data:) is a bug upstream, not a link. */
function webLink(url: string): string {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'https:' && protocol !== 'http:') throw new TypeError('A mail link must be an http(s) URL');
  return url;
}

function describeMinutes(minutes: number): string {
  if (minutes < 1) return 'less than a minute';
  if (minutes >= 120 && minutes % 60 === 0) return `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** "2026-11-22 12:00 UTC": unambiguous for every reader, whatever their locale or time zone. */
function formatWhen(when: Date): string {
  return `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
