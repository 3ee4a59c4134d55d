import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startingApp } from '../../src/http/starting-app.js';
import { DependencyUnavailableError } from '../../src/shared/errors.js';
import type { OperationalLog } from '../../src/shared/operational-log.js';
import { cappedBackoff, StartingGate } from '../../src/startup/starting-gate.js';

/** The real app of these tests: it answers every request itself, so reaching it shows in the body. */
const realHandler: RequestListener = (_request, response) => {
  response.setHeader('Content-Type', 'application/json');
  response.end(JSON.stringify({ servedBy: 'the real app' }));
};

/**
 * Stands in for `wait`: every wait is recorded and held until the test releases it, so the test sees each state
 * between two attempts and nothing depends on time.
 */
class HeldWaits {
  readonly asked: number[] = [];
  private release: Array<() => void> = [];
  private waiting: Array<() => void> = [];

  readonly wait = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      this.asked.push(ms);
      this.release.push(resolve);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      this.waiting.splice(0).forEach((notify) => notify());
    });

  /** Resolves once the gate is waiting for the `count`-th time. */
  async until(count: number): Promise<void> {
    while (this.asked.length < count) await new Promise<void>((notify) => this.waiting.push(notify));
  }

  releaseNext(): void {
    this.release.shift()!();
  }
}

class RecordedLog implements OperationalLog {
  readonly lines: Array<{ level: string; details: object; message: string }> = [];
  warn(details: object, message: string) {
    this.lines.push({ level: 'warn', details, message });
  }
  info(details: object, message: string) {
    this.lines.push({ level: 'info', details, message });
  }
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A build that fails with DependencyUnavailableError `failures` times (the URI's password in its cause), then succeeds. */
function flakyBuild(failures: number) {
  let calls = 0;
  const build = async () => {
    calls += 1;
    if (calls <= failures) {
      throw new DependencyUnavailableError('mongodb', {
        cause: new Error('getaddrinfo ENOTFOUND mongodb://tessera:hunter2@db.internal:27017/tessera'),
      });
    }
    return { handler: realHandler };
  };
  return { build, calls: () => calls };
}

function gateWith(build: () => Promise<{ handler: RequestListener }>, waits: HeldWaits, log = new RecordedLog()) {
  const gate = new StartingGate(build, { log, wait: waits.wait });
  const whileStarting = startingApp({
    issuer: 'https://id.example.com',
    forceHttps: false,
    trustProxy: false,
    waitingFor: () => gate.waitingFor,
  }).callback();
  return { gate, listener: gate.listener(whileStarting, (built) => built.handler), log };
}

describe('the start-up gate', () => {
  it('answers "starting" while a dependency is unavailable, retries with backoff, then serves the real app', async () => {
    const waits = new HeldWaits();
    const flaky = flakyBuild(2);
    const { gate, listener, log } = gateWith(flaky.build, waits);
    const base = await serve(listener);
    const started = gate.start();

    await waits.until(1);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains; preload');

    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'starting', waitingFor: ['mongodb'] });

    const token = await fetch(`${base}/token`, { method: 'POST', body: 'grant_type=client_credentials' });
    expect(token.status).toBe(503);
    expect(token.headers.get('retry-after')).toBe('1');
    expect(token.headers.get('x-frame-options')).toBe('DENY');
    expect(await token.json()).toMatchObject({ error: 'temporarily_unavailable' });

    const authorize = await fetch(`${base}/auth?client_id=web&redirect_uri=https%3A%2F%2Fevil.example%2F`, { redirect: 'manual' });
    // No redirect to a redirect_uri nobody could check: the client registry is not reachable yet.
    expect(authorize.status).toBe(503);
    expect(authorize.headers.get('location')).toBeNull();
    expect(await authorize.json()).toMatchObject({ error: 'temporarily_unavailable' });

    waits.releaseNext();
    await waits.until(2);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    waits.releaseNext();

    expect(await started).toEqual({ handler: realHandler });
    expect(flaky.calls()).toBe(3);
    expect(waits.asked).toEqual([1_000, 2_000]);
    for (const path of ['/healthz', '/readyz', '/token']) {
      expect(await (await fetch(`${base}${path}`)).json()).toEqual({ servedBy: 'the real app' });
    }
    expect(gate.waitingFor).toEqual([]);

    const warnings = log.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.details).toMatchObject({ attempt: 1, waitingFor: 'mongodb', retryInMs: 1_000 });
    expect(JSON.stringify(log.lines)).not.toContain('hunter2');
    expect(JSON.stringify(warnings[0])).toContain('ENOTFOUND');
  });

  it('gives up at once on an error that waiting will not cure, such as bad configuration', async () => {
    const waits = new HeldWaits();
    const badKey = new Error('FIELD_ENCRYPTION_KEYS: key "k1" is not 32 bytes');
    const { gate } = gateWith(() => Promise.reject(badKey), waits);
    await expect(gate.start()).rejects.toBe(badKey);
    expect(waits.asked).toEqual([]);
  });

  it('stops waiting when stopped, without building again or serving anything', async () => {
    const waits = new HeldWaits();
    const flaky = flakyBuild(1);
    const { gate, listener } = gateWith(flaky.build, waits);
    const base = await serve(listener);
    const started = gate.start();
    await waits.until(1);
    gate.stop();
    expect(await started).toBeUndefined();
    expect(flaky.calls()).toBe(1);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });

  it('hands back an app that was built after stop() without serving it, so that it can be closed', async () => {
    let finishBuild!: () => void;
    const gate = new StartingGate(
      () => new Promise<{ handler: RequestListener }>((resolve) => (finishBuild = () => resolve({ handler: realHandler }))),
      { log: new RecordedLog(), wait: new HeldWaits().wait },
    );
    const whileStarting: RequestListener = (_request, response) => response.writeHead(503).end();
    const base = await serve(gate.listener(whileStarting, (built) => built.handler));
    const started = gate.start();
    gate.stop();
    finishBuild();
    expect(await started).toEqual({ handler: realHandler });
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('backs off 1 s, 2 s, 4 s, 8 s, then every 15 s', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(cappedBackoff)).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
  });
});
