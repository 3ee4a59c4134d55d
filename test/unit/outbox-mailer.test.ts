import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OutboxMailer } from '../../src/mail/index.js';
import { DependencyUnavailableError, ValidationError } from '../../src/shared/errors.js';
import { capturedLogger } from './support/captured-logger.js';

const link = 'https://id.example.com/account/password-reset/confirm?token=' + 'Q'.repeat(43) + '&lang=en';
const message = {
  to: 'ada@example.com',
  subject: 'Reset your password',
  text: `Open this link:\n\n${link}\n\nIt works once.\n`,
  html: `<p><a href="${link.replace('&', '&#38;')}">reset</a></p>`,
};

describe('OutboxMailer', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'tessera-outbox-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function mailer(directory = path.join(root, 'data', 'outbox')) {
    const log = capturedLogger();
    const now = () => new Date('2026-11-22T12:00:00.123Z');
    return { log, directory, mailer: new OutboxMailer({ directory, from: 'Tessera <no-reply@localhost>', logger: log.logger, now }) };
  }

  it('writes one .eml file, readable by its owner only, in a folder it creates', async () => {
    const { mailer: outbox, directory } = mailer();
    await outbox.send(message);
    const files = readdirSync(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^2026-11-22T12-00-00-123Z-[0-9a-f]{12}\.eml$/);
    expect(statSync(path.join(directory, files[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
  });

  it('writes the headers and both bodies unencoded, so the link can be copied out as is', async () => {
    const { mailer: outbox, directory } = mailer();
    await outbox.send(message);
    const eml = readFileSync(path.join(directory, readdirSync(directory)[0]!), 'utf8');
    const [head, ...body] = eml.split('\r\n\r\n');
    expect(head).toContain('From: Tessera <no-reply@localhost>\r\nTo: ada@example.com\r\nSubject: Reset your password\r\n');
    expect(head).toContain('Date: Sun, 22 Nov 2026 12:00:00 GMT');
    expect(head).toMatch(/Content-Type: multipart\/alternative; boundary="tessera-[0-9a-f]{24}"/);
    expect(body.join('\r\n\r\n')).toContain(`\r\n${link}\r\n`);
    expect(eml).toContain(message.html);
    expect(eml).toContain('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit');
    expect(eml).not.toMatch(/[^\r]\n/);
  });

  it('writes a single text part when there is no HTML', async () => {
    const { mailer: outbox, directory } = mailer();
    await outbox.send({ to: message.to, subject: message.subject, text: message.text });
    const eml = readFileSync(path.join(directory, readdirSync(directory)[0]!), 'utf8');
    expect(eml).not.toContain('multipart');
    expect(eml).toContain(`MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n`);
    expect(eml).toContain(link);
  });

  it('logs recipient, subject and file in one line, and never the body', async () => {
    const { mailer: outbox, log, directory } = mailer();
    await outbox.send(message);
    const lines = log.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'mail written to the outbox',
      to: 'ada@example.com',
      subject: 'Reset your password',
      file: path.join(directory, readdirSync(directory)[0]!),
    });
    expect(log.raw()).not.toContain('Q'.repeat(43));
    expect(log.raw()).not.toContain('Open this link');
  });

  it('keeps messages of the same millisecond apart', async () => {
    const { mailer: outbox, directory } = mailer();
    await Promise.all(Array.from({ length: 5 }, () => outbox.send(message)));
    expect(readdirSync(directory)).toHaveLength(5);
  });

  it('refuses a second recipient or a header break before writing anything', async () => {
    const { mailer: outbox, directory, log } = mailer();
    for (const to of ['ada@example.com, eve@example.net', 'Ada <ada@example.com>', 'ada@example.com\r\nBcc: eve@x', '']) {
      await expect(outbox.send({ ...message, to })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(outbox.send({ ...message, subject: 'Hi\r\nBcc: eve@example.net' })).rejects.toBeInstanceOf(ValidationError);
    expect(() => readdirSync(directory)).toThrow();
    expect(log.lines()).toHaveLength(0);
  });

  it('reports an unwritable outbox as a dependency failure', async () => {
    const blocked = path.join(root, 'not-a-folder');
    writeFileSync(blocked, '');
    const { mailer: outbox } = mailer(blocked);
    const error = await outbox.send(message).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).dependency).toBe('outbox');
  });
});
