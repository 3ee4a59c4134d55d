import { expect } from '@jest/globals';
import type fc from 'fast-check';
import { appendFileSync } from 'node:fs';
import { seedWorld, type World } from '../../support/fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { sendRaw, type RawRequest, type RawResponse } from './raw-http.js';
import { snapshotStoredData } from './stored-data.js';

/**
 * The server under fuzz: the real app on a loopback port, seeded with one world, plus the checks every property
 * shares. Argon2 runs with its cheapest allowed cost: the fuzzer sends hundreds of logins, and what is under test
 * is the handling of input, not the hash.
 */
export interface FuzzTarget {
  server: TestServer;
  world: World;
  send(request: RawRequest): Promise<RawResponse>;
  /** The stored records and Object.prototype as they were before the first fuzzed request. */
  baseline: { data: Awaited<ReturnType<typeof snapshotStoredData>>; prototypeKeys: string[] };
}

/** @param env extra configuration, e.g. TRUST_PROXY=true so each sign-in can come from its own client address. */
export async function startFuzzTarget(env: Record<string, string> = {}): Promise<FuzzTarget> {
  const server = await startTestServer({ env: { ARGON2_TIME_COST: '1', ARGON2_MEMORY_KIB: '8192', ARGON2_PARALLELISM: '1', ...env } });
  const world = await seedWorld(server.tessera);
  return {
    server,
    world,
    send: (request) => sendRaw(server.port, request),
    baseline: { data: await snapshotStoredData(server.tessera, world), prototypeKeys: prototypeKeys() },
  };
}

/**
 * The fuzzed request got an answer, and not a server error. FUZZ_STATS=<file> appends "method path status" per
 * request, to see whether the input reaches the handlers or stops at the parser (400/431) and the CSRF check (403).
 */
export function expectNoServerError(request: RawRequest, response: RawResponse): void {
  if (process.env.FUZZ_STATS) tally(process.env.FUZZ_STATS, request, response);
  if (response.status >= 500 || response.status < 100) {
    const shown = { method: request.method, target: request.target.slice(0, 300), headers: request.headers.map(([n, v]) => [n, v.slice(0, 200)]) };
    throw new Error(`${response.status} for ${JSON.stringify(shown)} body ${JSON.stringify(request.body?.toString('latin1').slice(0, 300))}\n${response.head}\n${response.body.slice(0, 500)}`);
  }
}

/** After the fuzzing: still answering, nothing stored was changed, and no prototype was polluted. */
export async function expectUnharmed(target: FuzzTarget): Promise<void> {
  const health = await target.send({ method: 'GET', target: '/healthz', headers: [] });
  expect(health.status).toBe(200);
  expect(await snapshotStoredData(target.server.tessera, target.world)).toEqual(target.baseline.data);
  expect(prototypeKeys()).toEqual(target.baseline.prototypeKeys);
  expect(({} as Record<string, unknown>).admin).toBeUndefined();
}

function prototypeKeys(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype].flatMap((proto) => Object.getOwnPropertyNames(proto)).sort();
}

/**
 * fast-check parameters within the suite's time budget. FUZZ_SCALE multiplies runs and time for a longer local
 * hunt (FUZZ_SCALE=20 npm run -s test:jest -- test/fuzz); FUZZ_SEED replays a reported failure.
 */
export function budget<T>(numRuns: number, seconds: number): fc.Parameters<T> {
  const scale = fuzzScale();
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  return {
    numRuns: Math.round(numRuns * scale),
    interruptAfterTimeLimit: seconds * 1000 * scale,
    markInterruptAsFailure: false,
    ...(seed === undefined ? {} : { seed }),
  };
}

function tally(file: string, request: RawRequest, response: RawResponse): void {
  const path = request.target.split('?')[0]!.replace(/\/(interaction|sessions)\/[^/]+/, '/$1/:id').slice(0, 60);
  appendFileSync(file, `${request.method} ${path} ${response.status}\n`);
}

function fuzzScale(): number {
  return Number(process.env.FUZZ_SCALE ?? 1) || 1;
}

/** Jest's limit for one property: its time budget plus setup and shrinking, scaled with FUZZ_SCALE. */
export const PROPERTY_TIMEOUT_MS = 60_000 * fuzzScale();
