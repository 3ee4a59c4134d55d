import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { SmtpMailer } from '../../src/mail/index.js';
import { DependencyUnavailableError, ValidationError } from '../../src/shared/errors.js';

// No network here: every case talks to 127.0.0.1, either to a closed port or to a few lines of fake server.
const PASSWORD = 'relay-s3cret-pw';
const message = { to: 'ada@example.com', subject: 'Hello', text: 'Hello, Ada.' };
const fast = { connection: 500, greeting: 300, socket: 500 };

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A loopback server running `onConnection` for each client; resolves to its port. */
async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  // close() waits for open connections; the client may leave one hanging after its timeout.
  const close = server.close.bind(server);
  server.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  };
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port that was free a moment ago and has nobody listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Just enough of an SMTP server: greets, answers EHLO with `ehlo`, refuses STARTTLS, accepts any envelope and
 * message. `received()` is everything the client sent.
 */
async function fakeRelay(ehlo: string[]): Promise<{ port: number; received: () => string }> {
  const received: string[] = [];
  const port = await listen((socket) => {
    let inData = false;
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      received.push(text);
      if (inData) {
        if (received.join('').endsWith('\r\n.\r\n')) {
          inData = false;
          socket.write('250 queued\r\n');
        }
        return;
      }
      const command = text.slice(0, 4).toUpperCase();
      if (command === 'EHLO') socket.write(`${ehlo.join('\r\n')}\r\n`);
      else if (command === 'STAR') socket.write('454 TLS not available\r\n');
      else if (command === 'DATA') {
        inData = true;
        socket.write('354 go ahead\r\n');
      } else if (command === 'QUIT') socket.end('221 bye\r\n');
      else socket.write('250 ok\r\n');
    });
  });
  return { port, received: () => received.join('') };
}

async function failure(mailer: SmtpMailer): Promise<DependencyUnavailableError> {
  const error = await mailer.send(message).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  return error as DependencyUnavailableError;
}

describe('SmtpMailer', () => {
  it('turns a refused connection into DependencyUnavailableError("smtp"), without the password', async () => {
    const port = await closedPort();
    const mailer = new SmtpMailer({ url: `smtp://tessera:${PASSWORD}@127.0.0.1:${port}`, from: 'no-reply@example.com', timeouts: fast });
    const error = await failure(mailer);
    expect(error.dependency).toBe('smtp');
    expect(error.code).toBe('temporarily_unavailable');
    expect((error.cause as { code?: string }).code).toBe('ESOCKET');
    expect(inspect(error, { depth: 10 })).not.toContain(PASSWORD);
  });

  it('gives up on a relay that accepts but never greets, within the greeting timeout', async () => {
    const port = await listen(() => {});
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'no-reply@example.com', timeouts: fast });
    const started = Date.now();
    const error = await failure(mailer);
    expect(Date.now() - started).toBeLessThan(1500);
    expect((error.cause as { code?: string }).code).toBe('ETIMEDOUT');
  });

  it('delivers to a relay: From, To and both bodies reach the wire', async () => {
    const relay = await fakeRelay(['250-fake', '250 8BITMIME']);
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${relay.port}`, from: 'Tessera <no-reply@example.com>', timeouts: fast });
    await mailer.send({ ...message, html: '<p>Hello, Ada.</p>' });
    const conversation = relay.received();
    expect(conversation).toContain('MAIL FROM:<no-reply@example.com>');
    expect(conversation).toContain('RCPT TO:<ada@example.com>');
    expect(conversation).toMatch(/^From: Tessera <no-reply@example\.com>\r$/m);
    expect(conversation).toContain('Hello, Ada.');
    expect(conversation).toContain('<p>Hello, Ada.</p>');
  });

  it('never sends credentials over a connection that cannot be encrypted', async () => {
    // Offers AUTH but no STARTTLS: a client that does not insist on TLS would log in in clear now.
    const relay = await fakeRelay(['250-fake', '250 AUTH PLAIN LOGIN']);
    const mailer = new SmtpMailer({ url: `smtp://tessera:${PASSWORD}@127.0.0.1:${relay.port}`, from: 'no-reply@example.com', timeouts: fast });
    const error = await failure(mailer);
    expect((error.cause as { code?: string }).code).toBe('ETLS');
    const conversation = relay.received();
    expect(conversation).toMatch(/^EHLO/);
    expect(conversation).not.toMatch(/AUTH|MAIL FROM/);
    expect(conversation).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('checks the message before connecting', async () => {
    const port = await closedPort();
    const mailer = new SmtpMailer({ url: `smtp://127.0.0.1:${port}`, from: 'no-reply@example.com', timeouts: fast });
    await expect(mailer.send({ ...message, to: 'ada@example.com,eve@example.net' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a URL it cannot use, without echoing the URL', () => {
    for (const url of [`http://u:${PASSWORD}@example.com`, `${PASSWORD}`, `smtp://u:${PASSWORD}@example.com?debug=true`]) {
      let error: unknown;
      try {
        new SmtpMailer({ url, from: 'no-reply@example.com' });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).not.toContain(PASSWORD);
    }
  });
});
