import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTlsListener, type TlsListener } from '../../src/http/tls.js';
import { createLogger } from '../../src/observability/logger.js';

const LIMITS = { maxHeaderSize: 16384, maxBodySize: 65536, headersTimeoutMs: 5000, requestTimeoutMs: 5000, shutdownTimeoutMs: 1000 };

/**
 * The native TLS listener as `openssl s_client` sees it: TLS 1.2 with ECDHE + AEAD and TLS 1.3 are accepted; TLS 1.1,
 * RSA key exchange, DHE and CBC suites are refused by the server (the client is told to offer them, down to
 * security level 0, so a refusal is the server's). Certificates are replaced on disk while it runs.
 */
describe('native TLS listener', () => {
  let dir: string;
  let tls: TlsListener;
  let port: number;
  const logLines: string[] = [];
  const file = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tessera-tls-'));
    selfSigned('rsa', ['-newkey', 'rsa:2048']);
    selfSigned('ec', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']);
    copyFileSync(file('rsa.crt'), file('live.crt'));
    copyFileSync(file('rsa.key'), file('live.key'));
    const logger = createLogger('info', { write: (line: string) => void logLines.push(line) });
    tls = createTlsListener((_req, res) => res.end('ok'), { certFile: file('live.crt'), keyFile: file('live.key'), port: 0 }, LIMITS, logger, 100);
    await new Promise<void>((resolve) => tls.server.listen(0, '127.0.0.1', resolve));
    port = (tls.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    tls.stopWatching();
    await new Promise((resolve) => tls.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function selfSigned(name: string, keyArgs: string[]): void {
    execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`)], { stdio: 'ignore' });
  }

  /** One handshake; async, because the server answering it runs in this process. */
  function handshake(...args: string[]): Promise<{ ok: boolean; output: string }> {
    return new Promise((resolve) => {
      const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args],
        { timeout: 5000 }, (error, stdout, stderr) => resolve({ ok: !error, output: `${stdout}${stderr}` }));
      child.stdin?.end();
    });
  }

  async function eventually(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('accepts TLS 1.2 with ECDHE and AES-GCM or ChaCha20-Poly1305', async () => {
    for (const cipher of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305']) {
      const result = await handshake('-tls1_2', '-cipher', cipher);
      expect(result.output).toContain(`Cipher is ${cipher}`);
      expect(result.ok).toBe(true);
    }
  });

  it('accepts TLS 1.3', async () => {
    const result = await handshake('-tls1_3');
    expect(result.output).toMatch(/New, TLSv1\.3, Cipher is TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)/);
  });

  it('refuses TLS 1.1 and TLS 1.0', async () => {
    for (const version of ['-tls1_1', '-tls1']) {
      const result = await handshake(version, '-cipher', 'DEFAULT:@SECLEVEL=0');
      expect(result.ok).toBe(false);
      expect(result.output).toContain('alert protocol version');
    }
  });

  it('refuses suites without forward secrecy or without AEAD', async () => {
    for (const cipher of ['AES128-SHA', 'AES128-GCM-SHA256', 'DHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384']) {
      const result = await handshake('-tls1_2', '-cipher', `${cipher}:@SECLEVEL=0`);
      expect(result.ok).toBe(false);
      expect(result.output).toContain('alert handshake failure');
    }
  });

  it('reloads a replaced certificate and key, keeping the old pair until the new one matches', async () => {
    const ecdsa = () => handshake('-tls1_2', '-cipher', 'ECDHE-ECDSA-AES256-GCM-SHA384');
    expect((await ecdsa()).ok).toBe(false);

    // Half a renewal: the new certificate next to the old key. Refused, and the old pair keeps serving.
    copyFileSync(file('ec.crt'), file('live.crt'));
    await eventually(async () => logLines.some((line) => line.includes('TLS certificate not reloaded')));
    expect((await handshake('-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256')).ok).toBe(true);

    copyFileSync(file('ec.key'), file('live.key'));
    await eventually(async () => (await ecdsa()).ok);
    expect((await ecdsa()).output).toContain('Cipher is ECDHE-ECDSA-AES256-GCM-SHA384');
  });
});
