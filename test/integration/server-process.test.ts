import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildUnlessFresh, redisTopology, spawnBuiltServer } from '../support/built-server.js';
import { until } from '../support/until.js';

/**
 * The built server as operators run it (`node dist/src/main.js`), in a child process: its listeners and their
 * limits, and a graceful SIGTERM that lets a request in flight finish before the process exits 0.
 */
describe('the server process', () => {
  let dir: string;
  let child: ChildProcess;
  let stdout = '';
  const ports: Record<string, number> = {};

  beforeAll(async () => {
    await buildUnlessFresh();
    dir = mkdtempSync(path.join(tmpdir(), 'tessera-process-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-keyout', path.join(dir, 'tls.key'), '-out', path.join(dir, 'tls.crt')], { stdio: 'ignore' });
    const [port, httpsPort] = [await freePort(), await freePort()];
    child = spawnBuiltServer(
      {
        PORT: String(port),
        DATA_DIR: dir,
        LOG_LEVEL: 'info',
        MAX_HEADER_SIZE: '4096',
        HEADERS_TIMEOUT: '1',
        REQUEST_TIMEOUT: '5',
        SHUTDOWN_TIMEOUT: '5',
        TLS_CERT_FILE: path.join(dir, 'tls.crt'),
        TLS_KEY_FILE: path.join(dir, 'tls.key'),
        HTTPS_PORT: String(httpsPort),
        ...redisTopology('process'),
      },
      ['ignore', 'pipe', 'inherit'],
    );
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await until(() => stdout.includes('Tessera ready'), 15_000);
    for (const line of stdout.split('\n').filter(Boolean)) {
      const entry = JSON.parse(line) as { listener?: string; port?: number };
      if (entry.listener && entry.port) ports[entry.listener] = entry.port;
    }
  }, 60_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 431 to headers over MAX_HEADER_SIZE', async () => {
    const socket = await open(ports.http!);
    socket.write(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(5000)}\r\n\r\n`);
    expect(await response(socket)).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('drops a client that is too slow to send its headers with 408', async () => {
    const socket = await open(ports.http!);
    const started = Date.now();
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    expect(await response(socket)).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(3500);
  });

  it('serves /metrics on the internal listener only', async () => {
    const metrics = await fetch(`http://127.0.0.1:${ports.metrics}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('tessera_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${ports.http}/metrics`)).status).toBe(404);
  });

  it('serves HTTPS with the configured certificate', async () => {
    const ca = readFileSync(path.join(dir, 'tls.crt'));
    const status = await new Promise<number>((resolve, reject) => {
      httpsGet({ host: '127.0.0.1', port: ports.https, path: '/healthz', servername: 'localhost', ca }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('refuses to start on a port in use, with a message that names the setting instead of a stack trace', async () => {
    const otherDir = mkdtempSync(path.join(tmpdir(), 'tessera-process-'));
    try {
      const second = spawnBuiltServer({ PORT: String(ports.http), DATA_DIR: otherDir, LOG_LEVEL: 'warn' }, ['ignore', 'ignore', 'pipe']);
      let stderr = '';
      second.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => second.once('exit', (exitCode) => resolve(exitCode)));
      expect(code).toBe(1);
      expect(stderr).toContain(`127.0.0.1:${ports.http} is already in use`);
      expect(stderr).toContain('PORT');
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('on SIGTERM stops accepting, finishes the request in flight, closes the stores and exits 0', async () => {
    const body = 'grant_type=client_credentials&scope=devices%3Aread';
    const socket = await open(ports.http!);
    const answer = response(socket);
    // A slow upload: the headers and half the body now, the rest after the signal.
    socket.write(
      `POST /token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await until(() => stdout.includes('shutting down'), 5000);
    await expect(open(ports.http!)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    socket.write(body.slice(10));
    // No client authentication: oidc-provider's answer to that proves the whole body was read and answered.
    expect(await answer).toMatch(/^HTTP\/1\.1 400 [\s\S]*no client authentication mechanism provided/);
    expect(await exited).toBe(0);
    expect(stdout).toContain('"msg":"stopped"');
    expect(stdout).not.toContain('cut off');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection. */
function response(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
}
