import { createTransport } from 'nodemailer';
import { DependencyUnavailableError } from '../shared/errors.js';
import { checkMessage, type MailMessage, type Mailer } from './mailer.js';

/** Milliseconds nodemailer waits at each stage before giving up. */
export interface SmtpTimeouts {
  connection: number;
  greeting: number;
  socket: number;
}

/**
 * Nodemailer's defaults (2 minutes to connect, 10 minutes of socket silence) suit batch mailers; here a person
 * waits on a web request while we send, so a dead relay must fail within seconds and show as "try again later".
 */
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connection: 10_000, greeting: 10_000, socket: 30_000 };

export interface SmtpMailerOptions {
  /**
   * `smtp://user:pass@host:587` (STARTTLS) or `smtps://user:pass@host:465` (TLS from the first byte). Query
   * parameters become nodemailer options and win over ours, e.g. `?requireTLS=false` for a local relay.
   */
  url: string;
  /** The From header: `no-reply@example.com` or `Example <no-reply@example.com>`. */
  from: string;
  timeouts?: Partial<SmtpTimeouts>;
}

/** Query parameters that would make nodemailer print SMTP traffic, message bodies (and reset links) included. */
const LOGGING_PARAMETERS = ['logger', 'debug', 'transactionLog'];

export class SmtpMailer implements Mailer {
  private readonly transport;

  constructor(options: SmtpMailerOptions) {
    const url = parseSmtpUrl(options.url);
    const timeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...options.timeouts };
    this.transport = createTransport(
      {
        url: options.url,
        // A password must never cross the network in clear: with credentials in the URL, plain smtp:// has to
        // upgrade with STARTTLS or fail, instead of nodemailer's default of carrying on unencrypted.
        requireTLS: url.protocol === 'smtp:' && url.password !== '',
        connectionTimeout: timeouts.connection,
        greetingTimeout: timeouts.greeting,
        socketTimeout: timeouts.socket,
        // Our messages never reference files or URLs as content; refusing them closes nodemailer's
        // "attachment path" family of tricks for good.
        disableFileAccess: true,
        disableUrlAccess: true,
      },
      { from: options.from },
    );
  }

  async send(message: MailMessage): Promise<void> {
    checkMessage(message);
    try {
      await this.transport.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html });
    } catch (error) {
      // Refused, timed out, rejected by the relay: to the caller all of these mean "mail is down, retry later".
      // The cause keeps nodemailer's code and the server's reply for the operator; neither carries credentials.
      throw new DependencyUnavailableError('smtp', { cause: error });
    }
  }

  /** Closes pooled connections, if the URL asked for a pool (`?pool=true`); harmless otherwise. */
  close(): void {
    this.transport.close();
  }
}

/** Validates the URL without ever echoing it: it carries the relay password. */
function parseSmtpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError('The SMTP URL is not a valid URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new TypeError('The SMTP URL must start with smtp:// or smtps://');
  }
  if (!url.hostname) throw new TypeError('The SMTP URL must name a host');
  if (LOGGING_PARAMETERS.some((name) => url.searchParams.has(name))) {
    throw new TypeError('The SMTP URL may not turn on nodemailer logging: it would write mail bodies to the console');
  }
  return url;
}
