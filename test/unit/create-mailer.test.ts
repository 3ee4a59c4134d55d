import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMailer, OutboxMailer, SmtpMailer } from '../../src/mail/index.js';
import { capturedLogger } from './support/captured-logger.js';

const from = 'Tessera <no-reply@localhost>';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('createMailer', () => {
  it('sends through SMTP when SMTP_URL is set', () => {
    const { logger } = capturedLogger();
    const mailer = createMailer({ env: 'production', dataDir: '/nonexistent', mail: { smtpUrl: 'smtps://u:p@mail.example.com', from } }, logger);
    expect(mailer).toBeInstanceOf(SmtpMailer);
  });

  it('writes to <DATA_DIR>/outbox otherwise', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-data-'));
    dirs.push(dataDir);
    const { logger, lines } = capturedLogger();
    const mailer = createMailer({ env: 'development', dataDir, mail: { from } }, logger);
    expect(mailer).toBeInstanceOf(OutboxMailer);
    await mailer.send({ to: 'ada@example.com', subject: 'Hi', text: 'Hello' });
    expect(readdirSync(path.join(dataDir, 'outbox'))).toHaveLength(1);
    expect(lines().filter((line) => line.level === 40)).toHaveLength(0);
  });

  it('warns when production has no SMTP relay', () => {
    const { logger, lines } = capturedLogger();
    createMailer({ env: 'production', dataDir: '/srv/tessera', mail: { from } }, logger);
    expect(lines()).toEqual([expect.objectContaining({ level: 40, directory: '/srv/tessera/outbox' })]);
  });
});
