import path from 'node:path';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { Mailer } from './mailer.js';
import { OutboxMailer } from './outbox-mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** SMTP when SMTP_URL is set; otherwise the outbox folder under DATA_DIR, where a developer opens the mail. */
export function createMailer(config: Pick<Config, 'env' | 'dataDir' | 'mail'>, logger: Logger): Mailer {
  if (config.mail.smtpUrl) return new SmtpMailer({ url: config.mail.smtpUrl, from: config.mail.from });
  const directory = path.join(config.dataDir, 'outbox');
  if (config.env === 'production') {
    // Allowed (a deployment may not send mail at all), but nobody would receive reset links: say so loudly.
    logger.warn({ directory }, 'SMTP_URL is not set: mail is written to the outbox folder and never delivered');
  }
  return new OutboxMailer({ directory, from: config.mail.from, logger });
}
