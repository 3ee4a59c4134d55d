export { createMailer } from './create-mailer.js';
export { checkMessage, type MailMessage, type Mailer } from './mailer.js';
export { OutboxMailer, type OutboxMailerOptions } from './outbox-mailer.js';
export { DEFAULT_SMTP_TIMEOUTS, SmtpMailer, type SmtpMailerOptions, type SmtpTimeouts } from './smtp-mailer.js';
