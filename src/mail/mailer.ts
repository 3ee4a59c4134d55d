import { ValidationError } from '../shared/errors.js';

/** One mail to one person. `text` is always sent; `html` is an optional alternative of the same content. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * The mail port. Services build a MailMessage and hand it here; adapters decide how it leaves the process.
 * A failed delivery rejects with DependencyUnavailableError, a malformed message with ValidationError.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * One bare addr-spec, nothing around it: no display name, no list separators, no quoting, no whitespace.
 * Every adapter checks this, because a `to` like "victim@example.com, attacker@example.net" would otherwise
 * hand a reset link to a second recipient, and a CR/LF would let a value write its own headers.
 */
const SINGLE_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;
const LINE_BREAK = /[\r\n]/;

/** Throws ValidationError unless the message is safe to put on the wire as is. */
export function checkMessage(message: MailMessage): void {
  if (!SINGLE_ADDRESS.test(message.to)) {
    throw new ValidationError('to must be a single email address', 'to');
  }
  if (LINE_BREAK.test(message.subject)) {
    throw new ValidationError('subject must be a single line', 'subject');
  }
}
