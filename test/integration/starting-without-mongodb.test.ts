import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildUnlessFresh, redisTopology, spawnBuiltServer } from '../support/built-server.js';
import { until } from '../support/until.js';
import { freePort } from '../support/private-redis-server.js';

const PASSWORD = 'Sw0rdf1sh-in-the-uri';
const RETRY_LINE = 'cannot start yet: mongodb is unavailable';

/**
 * Issue 3/7: "the process starts with its stores down, stays alive with /readyz 503, and becomes ready by itself".
 * The built server is given a MONGODB_URI whose port nothing listens on (in the Redis run of scripts/test.sh, a real
 * Redis too: the production topology). It must listen anyway, say it is alive but not ready, turn requests away
 * with 503 + Retry-After, keep trying without ever logging the URI's password, and stop cleanly on SIGTERM.
 * Becoming ready once MongoDB answers needs a MongoDB, which this machine does not have: the gate's unit test
 * (test/unit/starting-gate.test.ts) shows the switch to the real app.
 */
describe('starting while MongoDB is unreachable', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let base: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    await buildUnlessFresh();
    dir = mkdtempSync(path.join(tmpdir(), 'tessera-no-mongo-'));
    const [port, mongoPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    child = spawnBuiltServer({
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: 'info',
      MONGODB_URI: `mongodb://tessera:${PASSWORD}@127.0.0.1:${mongoPort}/tessera?replicaSet=rs0&authSource=admin`,
      ...redisTopology('no-mongo'),
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => output.includes('"msg":"http listening"') || child.exitCode !== null, 15_000);
  }, 60_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stays alive for several seconds, retrying, with /healthz 200 and /readyz 503', async () => {
    // The third failed attempt comes after waits of 1 s and 2 s: the process has been up for over three seconds.
    await until(() => output.split(RETRY_LINE).length > 3 || child.exitCode !== null, 20_000);
    expect(child.exitCode).toBeNull();

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'starting', waitingFor: ['mongodb'] });
  }, 30_000);

  it('turns the token and authorization endpoints away with 503, Retry-After and temporarily_unavailable', async () => {
    const token = await fetch(`${base}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(503);
    expect(token.headers.get('retry-after')).toBe('1');
    expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable' });

    const authorize = await fetch(`${base}/auth?client_id=web&response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb`, {
      redirect: 'manual',
    });
    expect(authorize.status).toBe(503);
    expect(authorize.headers.get('retry-after')).toBe('1');
    expect(authorize.headers.get('strict-transport-security')).toContain('max-age=63072000');
    expect(await authorize.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('never logs the password of MONGODB_URI', () => {
    expect(output).toContain(RETRY_LINE);
    expect(output).not.toContain(PASSWORD);
  });

  it('stops retrying on SIGTERM, closes its listener and exits 0', async () => {
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stopMs = Date.now() - signalled;
    expect(output).toContain('"msg":"stopped"');
    expect(output).not.toContain(PASSWORD);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    // Prompt: at most one attempt in flight (about a second against a closed port) plus closing the listener.
    expect(stopMs).toBeLessThan(5_000);
  }, 15_000);
});

describe('starting with a MONGODB_URI that can never work', () => {
  it('is not retried: the process exits 1 at once, saying why, without the password', async () => {
    await buildUnlessFresh();
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-bad-mongo-'));
    try {
      const child = spawnBuiltServer({
        PORT: String(await freePort()),
        DATA_DIR: dir,
        LOG_LEVEL: 'info',
        // A driver option with an impossible value: configuration, not an outage.
        MONGODB_URI: `mongodb://tessera:${PASSWORD}@127.0.0.1:${await freePort()}/tessera?replicaSet=rs0&tls=maybe`,
      });
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
      expect(code).toBe(1);
      expect(output).toContain('Tessera failed to start: MongoParseError');
      expect(output).not.toContain(RETRY_LINE);
      expect(output).not.toContain(PASSWORD);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
