import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../observability/logger.js';
import { DependencyUnavailableError } from '../shared/errors.js';
import { formatEml } from './eml.js';
import { checkMessage, type MailMessage, type Mailer } from './mailer.js';

export interface OutboxMailerOptions {
  /** Where messages land, e.g. `<DATA_DIR>/outbox`; created (0700) on first use. */
  directory: string;
  from: string;
  logger: Logger;
  now?: () => Date;
}

/**
 * The development mailer: every message becomes one `.eml` file in an outbox folder, and one log line says where.
 *
 * Why not simply log the mail? The mails we send carry live credentials: a password-reset link is as good as the
 * password until it expires. Log lines travel to aggregators, terminals and support tickets and outlive the link's
 * purpose, and our rule is that secrets never reach a log line. A file readable only by the server's user keeps
 * the link where the developer can open it (any mail client reads .eml) and nowhere else; the log line carries
 * the recipient, the subject and the path, never the body.
 */
export class OutboxMailer implements Mailer {
  private readonly directory: string;
  private readonly from: string;
  private readonly logger: Logger;
  private readonly now: () => Date;

  constructor(options: OutboxMailerOptions) {
    if (/[\r\n]/.test(options.from)) throw new TypeError('The From address must be a single line');
    this.directory = path.resolve(options.directory);
    this.from = options.from;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
  }

  async send(message: MailMessage): Promise<void> {
    checkMessage(message);
    const date = this.now();
    // Sortable by time; the random tail keeps two mails of one millisecond apart.
    const name = `${date.toISOString().replace(/[:.]/g, '-')}-${randomBytes(6).toString('hex')}.eml`;
    const file = path.join(this.directory, name);
    try {
      await mkdir(this.directory, { recursive: true, mode: 0o700 });
      // 0600: the file holds the secret the log line leaves out. 'wx' never overwrites another message.
      await writeFile(file, formatEml(message, this.from, date), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw new DependencyUnavailableError('outbox', { cause: error });
    }
    this.logger.info({ to: message.to, subject: message.subject, file }, 'mail written to the outbox');
  }
}
