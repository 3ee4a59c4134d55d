import { randomBytes } from 'node:crypto';
import type { MailMessage } from './mailer.js';

/**
 * Renders a message as an RFC 5322 / MIME text that any mail client opens (.eml) and that is just as readable
 * in a terminal. Bodies go out as 8bit UTF-8 on purpose: nodemailer's composer would quoted-printable-encode a
 * long reset link ("=3D", soft line breaks), and a developer copying it out of the file would get a broken link.
 * Headers are UTF-8 as well (RFC 6532) rather than RFC 2047-encoded, for the same reason.
 */
export function formatEml(message: MailMessage, from: string, date: Date): string {
  const headers = [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${message.subject}`,
    `Date: ${date.toUTCString()}`,
    'MIME-Version: 1.0',
  ];
  if (message.html === undefined) {
    return lines([...headers, ...part('text/plain', message.text)]);
  }
  // Random, so no line of either body can end the part early.
  const boundary = `tessera-${randomBytes(12).toString('hex')}`;
  return lines([
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...part('text/plain', message.text),
    `--${boundary}`,
    ...part('text/html', message.html),
    `--${boundary}--`,
  ]);
}

function part(type: 'text/plain' | 'text/html', body: string): string[] {
  return [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: 8bit', '', body];
}

/** RFC 5322 lines end in CRLF, including the ones inside a body. */
function lines(all: string[]): string {
  return `${all.join('\n').replace(/\r?\n/g, '\r\n')}\r\n`;
}
