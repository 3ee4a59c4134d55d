// Tessera benchmarks: Tessera (Redis + SQLite, and the embedded SQLite default) measured side by side with bare
// oidc-provider, in one run, on one machine. Servers are pinned to core 0 (bench/run.sh pins this process, the load
// generator, to core 1). Every scenario warms up, then runs in interleaved rounds (server A, B, C; A, B, C; …) so
// drift on a shared machine hits every server alike; figures are medians over the rounds.
//
// Usage: bench/run.sh [--quick] [--only=1,2,5] [--runs=N] [--seconds=S] [--profile] [--sessions=N]
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarizeProfile } from './lib/cpuprofile.mjs';
import { authorize, basic, Browser, runFlows } from './lib/flow.mjs';
import { cannon, latencySummary, median } from './lib/load.mjs';
import { cpuSeconds, killAllSync, probe, ROOT, rssBytes, SERVER_CORE, startNodeServer, startRedis } from './lib/processes.mjs';
import { writeReport } from './lib/report.mjs';
import { API, REDIRECT_URI, seedTessera } from './lib/seed.mjs';

// ---------------------------------------------------------------------------------------------------------------
// Options

const argv = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const option = arg.replace(/^--/, '');
    const at = option.indexOf('=');
    return at < 0 ? [option, true] : [option.slice(0, at), option.slice(at + 1)];
  }),
);
const quick = Boolean(argv.quick);
const opts = {
  runs: Number(argv.runs ?? 3),
  seconds: Number(argv.seconds ?? (quick ? 1.5 : 3)),
  warmup: Number(argv.warmup ?? (quick ? 1 : 2)),
  connections: Number(argv.connections ?? 10),
  flowSeconds: Number(argv['flow-seconds'] ?? (quick ? 3 : 5)),
  flowConcurrency: Number(argv['flow-concurrency'] ?? 4),
  stormSeconds: Number(argv['storm-seconds'] ?? (quick ? 3 : 5)),
  stormRate: Number(argv['storm-rate'] ?? 100),
  stormConnections: 4,
  stormConcurrency: Number(argv['storm-concurrency'] ?? 8),
  sessions: Number(argv.sessions ?? (quick ? 10_000 : 100_000)),
  memoryLogins: Number(argv['memory-logins'] ?? 20),
  introspectionPool: 2000,
  only: argv.only ? new Set(String(argv.only).split(',').map(Number)) : null,
  profile: Boolean(argv.profile),
  keep: Boolean(argv.keep),
  waitQuiet: Number(argv['wait-quiet'] ?? 0),
  // Configuration experiments without code changes, e.g. --server-env=UV_THREADPOOL_SIZE=1,ARGON2_PARALLELISM=1:
  // given to every server (Tessera and baseline) and to the seeding (so the stored hash uses the same parameters).
  serverEnv: Object.fromEntries(
    String(argv['server-env'] ?? '')
      .split(',')
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  ),
};
if (opts.runs < 1 || opts.runs > 10) throw new Error('--runs must be 1..10');
const wanted = (scenario) => !opts.only || opts.only.has(scenario);

const log = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round2 = (value) => (value === null || value === undefined || Number.isNaN(value) ? null : Math.round(value * 100) / 100);
const round3 = (value) => (value === null || value === undefined || Number.isNaN(value) ? null : Math.round(value * 1000) / 1000);

// ---------------------------------------------------------------------------------------------------------------
// Setup: Redis, seeds, servers

const work = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
process.on('exit', () => {
  killAllSync();
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const started = new Date();
const profileDir = path.join(ROOT, 'bench/results/profiles', started.toISOString().replace(/[:.]/g, '-'));
if (opts.profile) mkdirSync(profileDir, { recursive: true });

/** Rate limits stay enforced (every /token and login POST is counted in the store) but sit above the bench's volume. */
const RATE_LIMITS = {
  RATE_LIMIT_TOKEN: '1000000000',
  RATE_LIMIT_LOGIN: '1000000000',
  RATE_LIMIT_REGISTRATION: '1000000000',
  RATE_LIMIT_ADMIN: '1000000000',
};

const skipped = [];
const servers = [];
let redis;

log(`tessera bench: ${opts.runs} runs × ${opts.seconds}s per HTTP scenario, warm-up ${opts.warmup}s; servers on core ${SERVER_CORE}, load generator on core(s) ${process.env.BENCH_LOAD_CORE ?? '?'}; work dir ${work}`);
log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
if (opts.waitQuiet > 0 && os.loadavg()[0] > 1.5) {
  // Other work on the machine (a test suite, a build) skews every figure; wait, bounded, for it to settle.
  log(`waiting up to ${opts.waitQuiet} s for the 1-minute load average to fall below 1.5 …`);
  const until = Date.now() + opts.waitQuiet * 1000;
  while (os.loadavg()[0] > 1.5 && Date.now() < until) await sleep(5000);
  log(`load average now ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
}
if (os.loadavg()[0] > 1.5) log('warning: the machine is busy (1-minute load > 1.5); same-run ratios hold up better than absolute figures');

try {
  redis = await startRedis(work);
} catch (error) {
  log(`SKIP tessera-redis: could not start redis-server (${error.message.split('\n')[0]})`);
}

const seeds = {};
async function prepareTessera(id, env) {
  const dataDir = path.join(work, id);
  mkdirSync(dataDir, { recursive: true });
  const fullEnv = { DATA_DIR: dataDir, ...RATE_LIMITS, ...opts.serverEnv, ...env };
  const world = { ...(await seedTessera(fullEnv)), redirectUri: REDIRECT_URI };
  const server = await startNodeServer({ name: id, script: 'dist/src/main.js', env: fullEnv, dir: work });
  await smokeTest(server, world);
  seeds[id] = world;
  return { id, server, world };
}

/** Each server must answer a client_credentials request and complete one full flow, or it is left out. */
async function smokeTest(server, world) {
  const response = await tokenRequest(server.base, world.service, 'grant_type=client_credentials');
  if (response.status !== 200) throw new Error(`client_credentials answered ${response.status}: ${await response.text()}`);
  await authorize(server.base, world);
}

function tokenRequest(base, client, body, pathname = '/token') {
  return fetch(`${base}${pathname}`, {
    method: 'POST',
    headers: { authorization: basic(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

const LABELS = {
  baseline: 'bare oidc-provider (in-memory)',
  'tessera-redis': 'Tessera, Redis + SQLite',
  'tessera-sqlite': 'Tessera, embedded SQLite',
};

// The embedded default first: its seed (keys, clients, account and stored hash) also configures the baseline.
try {
  servers.push(await prepareTessera('tessera-sqlite', {}));
} catch (error) {
  log(`FATAL: Tessera (embedded SQLite) did not start or failed its smoke test: ${error.stack}`);
  process.exit(1);
}
if (redis) {
  try {
    servers.splice(0, 0, await prepareTessera('tessera-redis', { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'tessera:' }));
  } catch (error) {
    const reason = error.message.split('\n').slice(0, 3).join(' | ');
    log(`SKIP tessera-redis: the Redis topology (REDIS_URL) does not work yet: ${reason}`);
    skipped.push({ id: 'tessera-redis', reason });
  }
} else skipped.push({ id: 'tessera-redis', reason: 'redis-server could not be started' });
{
  const seedFile = path.join(work, 'baseline-seed.json');
  writeFileSync(seedFile, JSON.stringify(seeds['tessera-sqlite']));
  const server = await startNodeServer({ name: 'baseline', script: 'bench/baseline/server.mjs', env: { ...opts.serverEnv, BENCH_SEED: seedFile }, dir: work });
  const world = seeds['tessera-sqlite'];
  await smokeTest(server, world);
  servers.splice(0, 0, { id: 'baseline', server, world });
}
log(`servers: ${servers.map((s) => `${s.id} (pid ${s.server.pid}, ${s.server.base})`).join('; ')}${redis ? `; redis pid ${redis.pid} port ${redis.port}` : ''}`);

// ---------------------------------------------------------------------------------------------------------------
// Measurement helpers

/** Runs `body` and returns its result with the server's (and Redis's) CPU seconds and event-loop lag over it. */
async function measured(entry, body) {
  await probe(entry.server, '/reset');
  const cpu0 = cpuSeconds(entry.server.pid);
  const redisCpu0 = redis && entry.id === 'tessera-redis' ? cpuSeconds(redis.pid) : null;
  const load0 = os.loadavg()[0];
  const result = await body();
  const cpu = cpuSeconds(entry.server.pid) - cpu0;
  const redisCpu = redisCpu0 === null ? null : cpuSeconds(redis.pid) - redisCpu0;
  const stats = await probe(entry.server, '/stats');
  // monitorEventLoopDelay records whole timer intervals; the lag is what exceeds the 5 ms resolution.
  const lag = (value) => Math.max(0, value - 5);
  const count = result.ok ?? result.completed ?? 0;
  return {
    ...result,
    serverCpuSeconds: round2(cpu * 1000) / 1000,
    cpuMsPerRequest: count ? (cpu * 1000) / count : null,
    redisCpuMsPerRequest: redisCpu === null || !count ? null : (redisCpu * 1000) / count,
    loopLagP99: lag(stats.loop.p99),
    loopLagMax: lag(stats.loop.max),
    rss: stats.memory.rss,
    loadavg: round2(Math.max(load0, os.loadavg()[0])),
  };
}

function summarizeRuns(runs, fields = ['rps', 'p50', 'p99', 'cpuMsPerRequest', 'redisCpuMsPerRequest', 'loopLagP99']) {
  const summary = {};
  for (const field of fields) {
    const value = median(runs.map((run) => run[field]));
    summary[field] = field.startsWith('cpu') || field.startsWith('redisCpu') ? round3(value) : round2(value);
  }
  summary.non2xx = runs.reduce((sum, run) => sum + (run.non2xx ?? 0) + (run.errors ?? 0), 0);
  summary.requests = runs.reduce((sum, run) => sum + (run.ok ?? run.completed ?? 0), 0);
  return summary;
}

async function startProfiles(entries) {
  if (opts.profile) await Promise.all(entries.map((entry) => probe(entry.server, '/profile/start')));
}

/** Stops the profiles; `requests` (per server id) turns self time into µs per request, comparable across servers. */
async function stopProfiles(entries, scenarioId, requests = {}) {
  if (!opts.profile) return {};
  const out = {};
  for (const entry of entries) {
    const file = path.join(profileDir, `${scenarioId}.${entry.id}.cpuprofile`);
    await probe(entry.server, `/profile/stop?file=${encodeURIComponent(file)}`);
    const profile = JSON.parse(readFileSync(file, 'utf8'));
    out[entry.id] = { file: path.relative(ROOT, file), top: summarizeProfile(profile, 15, requests[entry.id] ?? 0) };
  }
  return out;
}

const completed = (runs) => runs.reduce((sum, run) => sum + (run.ok ?? run.completed ?? 0), 0);

const results = {
  date: started.toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    node: process.version,
    oidcProvider: JSON.parse(readFileSync(path.join(ROOT, 'node_modules/oidc-provider/package.json'), 'utf8')).version,
    serverCore: SERVER_CORE,
    loadCore: process.env.BENCH_LOAD_CORE ?? null,
    loadavgStart: os.loadavg(),
  },
  options: { ...opts, only: opts.only ? [...opts.only] : null },
  argon2: seeds['tessera-sqlite'].argon2,
  servers: Object.fromEntries(servers.map((s) => [s.id, LABELS[s.id]])),
  skipped,
  scenarios: [],
};

/**
 * An HTTP scenario: per server, a request factory for autocannon (or null when the server cannot serve it),
 * warm-up on each, then `runs` interleaved rounds.
 */
async function httpScenario({ id, group, title, requestFor, note, connections = opts.connections, afterRun = () => '', byAmount = false }) {
  const entries = servers.filter((entry) => requestFor(entry) !== null);
  log(`\n[${id}] ${title}`);
  const runs = Object.fromEntries(entries.map((entry) => [entry.id, []]));
  // byAmount: runs of a fixed request count (sized from the warm-up's rate to last about opts.seconds), so that
  // autocannon stops only after every answer arrived and leaves no request cut off in flight.
  const amounts = {};
  const sized = (rps, seconds) => Math.max(connections * 20, Math.round((rps * seconds) / connections) * connections);
  for (const entry of entries) {
    if (!byAmount) {
      await cannon({ url: entry.server.base, connections, seconds: opts.warmup, ...requestFor(entry) });
      continue;
    }
    const first = await cannon({ url: entry.server.base, connections, amount: connections * 30, ...requestFor(entry) });
    const second = await cannon({ url: entry.server.base, connections, amount: sized(first.rps, opts.warmup), ...requestFor(entry) });
    amounts[entry.id] = sized(second.rps, opts.seconds);
  }
  await startProfiles(entries);
  for (let round = 0; round < opts.runs; round += 1) {
    for (const entry of entries) {
      const length = byAmount ? { amount: amounts[entry.id] } : { seconds: opts.seconds };
      const run = await measured(entry, () => cannon({ url: entry.server.base, connections, ...length, ...requestFor(entry) }));
      runs[entry.id].push(run);
      if (byAmount) amounts[entry.id] = sized(run.rps, opts.seconds);
      log(`  ${entry.id.padEnd(15)} run ${round + 1}: ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.p50.toFixed(2)} ms  p99 ${run.p99.toFixed(2)} ms  cpu ${run.cpuMsPerRequest?.toFixed(3)} ms/req${process.env.BENCH_DEBUG ? ` [${run.ok} in ${run.seconds.toFixed(2)} s]` : ""}${run.non2xx || run.errors ? `  NON-2XX ${run.non2xx} ERR ${run.errors} ${JSON.stringify(run.statuses)}` : ''}${afterRun(entry)}`);
    }
  }
  const profiles = await stopProfiles(entries, id, Object.fromEntries(entries.map((entry) => [entry.id, completed(runs[entry.id])])));
  const summary = Object.fromEntries(entries.map((entry) => [entry.id, summarizeRuns(runs[entry.id])]));
  const baseline = summary.baseline?.rps;
  for (const [serverId, figures] of Object.entries(summary)) {
    figures.ratio = baseline && serverId !== 'baseline' ? round2(figures.rps / baseline) : null;
  }
  const notServed = servers.filter((entry) => requestFor(entry) === null).map((entry) => entry.id);
  results.scenarios.push({ id, group, title, note, summary, runs, notServed, profiles });
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios 1–4: autocannon against every server

const form = 'application/x-www-form-urlencoded';
const ccRequest = (resource, { only } = {}) => (entry) => {
  if (only && !only.includes(entry.id)) return null;
  const body = resource ? `grant_type=client_credentials&scope=devices%3Aread&resource=${encodeURIComponent(resource)}` : 'grant_type=client_credentials';
  return { method: 'POST', headers: { authorization: basic(entry.world.service.clientId, entry.world.service.clientSecret), 'content-type': form }, body };
};

if (wanted(1)) {
  await httpScenario({ id: 's1-discovery', group: 1, title: 'GET /.well-known/openid-configuration', requestFor: () => ({ method: 'GET', path: '/.well-known/openid-configuration' }) });
  await httpScenario({ id: 's1-jwks', group: 1, title: 'GET /jwks', requestFor: () => ({ method: 'GET', path: '/jwks' }) });
}

if (wanted(2)) {
  const cc = (requestFor) => (entry) => {
    const request = requestFor(entry);
    return request && { requests: [{ ...request, path: '/token' }] };
  };
  await httpScenario({ id: 's2-cc-opaque', group: 2, title: 'client_credentials → opaque access token', requestFor: cc(ccRequest(null)) });
  await httpScenario({ id: 's2-cc-jwt-es256', group: 2, title: 'client_credentials → JWT access token, ES256', requestFor: cc(ccRequest(API)) });
  const tesseraCannot = 'Tessera signs every JWT access token with ES256 (src/oidc/resource-servers.ts); no resource server can ask for another alg, so only the baseline runs this.';
  await httpScenario({ id: 's2-cc-jwt-rs256', group: 2, title: 'client_credentials → JWT access token, RS256', note: tesseraCannot, requestFor: cc(ccRequest('https://api-rs256.example.com', { only: ['baseline'] })) });
  await httpScenario({ id: 's2-cc-jwt-eddsa', group: 2, title: 'client_credentials → JWT access token, EdDSA', note: tesseraCannot, requestFor: cc(ccRequest('https://api-eddsa.example.com', { only: ['baseline'] })) });
}

/** `count` fresh opaque tokens from client_credentials, fetched with bounded concurrency. */
async function issueTokens(entry, count) {
  const tokens = [];
  const worker = async () => {
    while (tokens.length < count) {
      const response = await tokenRequest(entry.server.base, entry.world.service, 'grant_type=client_credentials');
      if (response.status !== 200) throw new Error(`token pool: ${response.status}`);
      tokens.push((await response.json()).access_token);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return tokens.slice(0, count);
}

if (wanted(3)) {
  const pools = {};
  for (const entry of servers) pools[entry.id] = await issueTokens(entry, opts.introspectionPool);
  await httpScenario({
    id: 's3-introspection',
    group: 3,
    title: `POST /token/introspection of fresh opaque tokens (pool of ${opts.introspectionPool} per server)`,
    requestFor: (entry) => {
      let next = 0;
      const pool = pools[entry.id];
      return {
        requests: [
          {
            method: 'POST',
            path: '/token/introspection',
            headers: { authorization: basic(entry.world.service.clientId, entry.world.service.clientSecret), 'content-type': form },
            setupRequest: (request) => ({ ...request, body: `token=${pool[next++ % pool.length]}` }),
          },
        ],
        check: (_status, body) => body.includes('"active":true'),
      };
    },
  });
}

/**
 * Refresh tokens for scenario 4, each from its own password login (its own session and grant, as real users have),
 * so no grant is shared by the chains. Each autocannon connection then walks a rotation chain: it sends the newest
 * token of a chain and keeps the one it gets back. Runs are fixed request counts, so no answer is ever cut off: a
 * token whose answer was lost would be presented again, which is reuse and revokes the grant.
 */
async function refreshTokenChains(entry, count) {
  const chains = [];
  const worker = async () => {
    while (chains.length < count) {
      const { tokens } = await authorize(entry.server.base, entry.world, { scope: 'openid email offline_access', prompt: 'consent' });
      chains.push({ token: tokens.refresh_token });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return chains;
}

if (wanted(4)) {
  const state = {};
  for (const entry of servers) state[entry.id] = { free: await refreshTokenChains(entry, opts.connections + 6), failed: 0 };
  await httpScenario({
    id: 's4-refresh',
    group: 4,
    title: 'refresh_token grant with rotation (each request continues its own grant\'s rotation chain)',
    byAmount: true,
    afterRun: (entry) => (state[entry.id].failed ? `  (${state[entry.id].failed} chains broken)` : ''),
    requestFor: (entry) => {
      const pool = state[entry.id];
      return {
        requests: [
          {
            method: 'POST',
            path: '/token',
            headers: { authorization: basic(entry.world.web.clientId, entry.world.web.clientSecret), 'content-type': form },
            setupRequest: (request, context) => {
              const chain = pool.free.shift();
              context.chain = chain;
              // An empty pool must not crash autocannon: the request then fails (400) and is counted as failed.
              return { ...request, body: `grant_type=refresh_token&refresh_token=${chain?.token ?? 'pool-exhausted'}` };
            },
            onResponse: (status, body, context) => {
              if (status !== 200 || !context.chain) return void (pool.failed += 1);
              context.chain.token = JSON.parse(body).refresh_token;
              pool.free.push(context.chain);
            },
          },
        ],
      };
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario 5: the full flow, and the Argon2id ceiling in the same rounds

function argon2Ceiling(world, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'taskset',
      ['-c', SERVER_CORE, process.execPath, path.join(ROOT, 'bench/lib/argon2-ceiling.mjs'), world.passwordHash, world.password, String(opts.flowConcurrency), String(seconds)],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...opts.serverEnv } },
    );
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`argon2 ceiling exited ${code}`))));
  });
}

if (wanted(5)) {
  const world = seeds['tessera-sqlite'];
  log(`\n[s5-flow] authorization code + PKCE with password login (Argon2id t=${world.argon2.timeCost} m=${world.argon2.memoryKiB} KiB p=${world.argon2.parallelism}), ${opts.flowConcurrency} concurrent browsers`);
  const ceilingRuns = [];
  const runs = Object.fromEntries(servers.map((entry) => [entry.id, []]));
  for (const entry of servers) await runFlows(entry.server.base, entry.world, { concurrency: opts.flowConcurrency, durationMs: opts.warmup * 1000 });
  await startProfiles(servers);
  for (let round = 0; round < opts.runs; round += 1) {
    const ceiling = await argon2Ceiling(world, opts.flowSeconds);
    ceilingRuns.push(ceiling);
    log(`  ${'argon2-only'.padEnd(15)} run ${round + 1}: ${ceiling.rps.toFixed(2).padStart(6)} verify/s  p50 ${ceiling.p50.toFixed(0)} ms  p99 ${ceiling.p99.toFixed(0)} ms  cpu ${(ceiling.cpuPerOp * 1000).toFixed(0)} ms/verify`);
    for (const entry of servers) {
      const run = await measured(entry, async () => {
        const flows = await runFlows(entry.server.base, entry.world, { concurrency: opts.flowConcurrency, durationMs: opts.flowSeconds * 1000 });
        const { latencies, ...rest } = flows;
        return { ...rest, rps: flows.completed / (flows.elapsedMs / 1000), ...latencySummary(latencies) };
      });
      runs[entry.id].push(run);
      log(`  ${entry.id.padEnd(15)} run ${round + 1}: ${run.rps.toFixed(2).padStart(6)} flows/s   p50 ${run.p50.toFixed(0)} ms  p99 ${run.p99.toFixed(0)} ms  cpu ${run.cpuMsPerRequest?.toFixed(0)} ms/flow${run.errors ? `  ERRORS ${run.errors}: ${run.firstError}` : ''}`);
    }
  }
  const profiles = await stopProfiles(servers, 's5-flow', Object.fromEntries(servers.map((entry) => [entry.id, completed(runs[entry.id])])));
  const ceilingSummary = {
    rps: round2(median(ceilingRuns.map((run) => run.rps))),
    p50: round2(median(ceilingRuns.map((run) => run.p50))),
    p99: round2(median(ceilingRuns.map((run) => run.p99))),
    cpuMsPerRequest: round2(median(ceilingRuns.map((run) => run.cpuPerOp * 1000))),
  };
  const summary = Object.fromEntries(servers.map((entry) => [entry.id, summarizeRuns(runs[entry.id])]));
  for (const figures of Object.values(summary)) figures.ratio = round2(figures.rps / ceilingSummary.rps);
  results.scenarios.push({
    id: 's5-flow',
    group: 5,
    title: 'authorize → login POST (Argon2id) → consent → code exchange, fresh browser per flow',
    ratioTo: 'argon2 ceiling',
    summary: { 'argon2-only': ceilingSummary, ...summary },
    runs: { 'argon2-only': ceilingRuns, ...runs },
    profiles,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario 6: the token endpoint at a fixed rate, idle and during a login storm

if (wanted(6)) {
  log(`\n[s6-storm] client_credentials (opaque) at ${opts.stormRate} req/s, idle vs during a storm of ${opts.stormConcurrency} concurrent password logins`);
  const runs = Object.fromEntries(servers.map((entry) => [entry.id, { idle: [], storm: [] }]));
  const tokenLoad = (entry) =>
    cannon({
      url: entry.server.base,
      connections: opts.stormConnections,
      seconds: opts.stormSeconds,
      overallRate: opts.stormRate,
      requests: [{ ...ccRequest(null)(entry), path: '/token' }],
    });
  await startProfiles(servers);
  for (let round = 0; round < opts.runs; round += 1) {
    for (const entry of servers) {
      const idle = await measured(entry, () => tokenLoad(entry));
      const storm = await measured(entry, async () => {
        const stop = { stopped: false };
        const flows = runFlows(entry.server.base, entry.world, { concurrency: opts.stormConcurrency, durationMs: opts.stormSeconds * 1000 + 5000, stop });
        await sleep(300); // let the storm reach the hashing stage first
        const tokens = await tokenLoad(entry);
        stop.stopped = true;
        const storm = await flows;
        return { ...tokens, logins: storm.completed, loginsPerSecond: storm.completed / (storm.elapsedMs / 1000), loginErrors: storm.errors };
      });
      runs[entry.id].idle.push(idle);
      runs[entry.id].storm.push(storm);
      log(`  ${entry.id.padEnd(15)} run ${round + 1}: idle p50 ${idle.p50.toFixed(2)} p99 ${idle.p99.toFixed(2)} ms (lag p99 ${idle.loopLagP99.toFixed(1)} ms) | storm p50 ${storm.p50.toFixed(2)} p99 ${storm.p99.toFixed(2)} ms, ${storm.rps.toFixed(0)} req/s, lag p99 ${storm.loopLagP99.toFixed(1)} max ${storm.loopLagMax.toFixed(0)} ms, ${storm.loginsPerSecond.toFixed(1)} logins/s`);
      // The storm's leftovers (hashes still queued) must not leak into the next idle run.
      await sleep(1500);
    }
  }
  const profiles = await stopProfiles(servers, 's6-storm');
  const summary = {};
  for (const entry of servers) {
    const idle = summarizeRuns(runs[entry.id].idle);
    const storm = summarizeRuns(runs[entry.id].storm);
    storm.loginsPerSecond = round2(median(runs[entry.id].storm.map((run) => run.loginsPerSecond)));
    storm.loopLagMax = round2(median(runs[entry.id].storm.map((run) => run.loopLagMax)));
    summary[entry.id] = { idle, storm, p99Ratio: round2(storm.p99 / idle.p99) };
  }
  results.scenarios.push({ id: 's6-storm', group: 6, title: 'token endpoint idle vs during a login storm', summary, runs, profiles });
}

// ---------------------------------------------------------------------------------------------------------------
// Scenario 7: memory — Redis bytes per active session, server RSS with N sessions

async function redisInfoMemory(client) {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)[1]);
}

/** MEMORY USAGE summed per key family (artifact:Session, uid:Session, account:SessionActivity, …). */
async function keyFamilies(client, prefix) {
  const families = {};
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    const usages = await Promise.all(keys.map((key) => client.memory('USAGE', key, 'SAMPLES', 0)));
    keys.forEach((key, i) => {
      const [kind, model] = key.slice(prefix.length).split(':');
      const family = `${kind}:${model}`;
      families[family] ??= { keys: 0, bytes: 0 };
      families[family].keys += 1;
      families[family].bytes += Number(usages[i]);
    });
  } while (cursor !== '0');
  return families;
}

if (wanted(7)) {
  const entry = servers.find((s) => s.id === 'tessera-redis');
  if (!entry) {
    log('\n[s7-memory] SKIP: needs the Redis topology');
    results.scenarios.push({ id: 's7-memory', group: 7, title: 'memory', skipped: 'the Redis topology is not running' });
  } else {
    log(`\n[s7-memory] Redis bytes per active session; server RSS with ${opts.sessions} sessions`);
    const { default: Redis } = await import('ioredis');
    const { openRedisStores } = await import('../dist/src/storage/redis/index.js');
    const client = new Redis(redis.url, { lazyConnect: false });
    const prefix = 'tessera:';
    // 1. Real logins: what one leaves in Redis, all keys together, and the session's own keys.
    const before = await redisInfoMemory(client);
    const familiesBefore = await keyFamilies(client, prefix);
    const logins = await runFlows(entry.server.base, entry.world, { concurrency: 4, durationMs: 60_000, maxFlows: opts.memoryLogins });
    await sleep(500);
    const after = await redisInfoMemory(client);
    const familiesAfter = await keyFamilies(client, prefix);
    const delta = {};
    for (const [family, now] of Object.entries(familiesAfter)) {
      const was = familiesBefore[family] ?? { keys: 0, bytes: 0 };
      if (now.keys !== was.keys || now.bytes !== was.bytes) delta[family] = { keys: now.keys - was.keys, bytes: now.bytes - was.bytes };
    }
    const sessionFamilies = Object.keys(familiesAfter).filter((family) => /:Session(Activity)?$/.test(family));
    const sessionKeys = familiesAfter['artifact:Session']?.keys ?? 0;
    const sessionBytes = sessionFamilies.reduce((sum, family) => sum + familiesAfter[family].bytes, 0);
    log(`  ${logins.completed} logins: used_memory +${after - before} B (${Math.round((after - before) / logins.completed)} B per login, all keys it leaves)`);
    log(`  ${sessionKeys} sessions in Redis: ${sessionFamilies.join(', ')} = ${Math.round(sessionBytes / sessionKeys)} B per session (MEMORY USAGE)`);

    // 2. N sessions: clones of a real Session and SessionActivity, each for its own account, written through
    //    Tessera's own Redis store (the same key layout, indexes and TTLs).
    const [sessionKey] = (await client.scan('0', 'MATCH', `${prefix}artifact:Session:*`, 'COUNT', 10000))[1];
    const sessionTemplate = JSON.parse(await client.hget(sessionKey, 'payload'));
    const activityTemplate = JSON.parse(await client.hget(`${prefix}artifact:SessionActivity:${sessionTemplate.uid}`, 'payload'));
    const ttl = Math.max(60, (sessionTemplate.exp ?? 0) - Math.floor(Date.now() / 1000));
    const stores = await openRedisStores(redis.url, { log: { warn() {}, error() {}, info() {} }, keyPrefix: prefix });
    const rssBefore = rssBytes(entry.server.pid);
    const memBefore = await redisInfoMemory(client);
    const keysBefore = await client.dbsize();
    const t0 = performance.now();
    let written = 0;
    const writer = async () => {
      while (written < opts.sessions) {
        written += 1;
        const id = randomBytes(32).toString('base64url').slice(0, 43);
        const uid = randomBytes(16).toString('base64url').slice(0, 21);
        const accountId = randomUUID();
        await stores.artifacts.upsert('Session', id, { ...sessionTemplate, jti: id, uid, accountId }, ttl);
        await stores.artifacts.upsert('SessionActivity', uid, { ...activityTemplate, accountId }, ttl);
      }
    };
    await Promise.all(Array.from({ length: 64 }, writer));
    const writeSeconds = (performance.now() - t0) / 1000;
    const memAfter = await redisInfoMemory(client);
    const keysAfter = await client.dbsize();
    // The server with N sessions in its store: RSS now, and after a round of real work (logins, tokens).
    const rssWithSessions = rssBytes(entry.server.pid);
    await runFlows(entry.server.base, entry.world, { concurrency: 4, durationMs: 3000, maxFlows: 10 });
    await cannon({ url: entry.server.base, connections: 10, seconds: 2, requests: [{ ...ccRequest(null)(entry), path: '/token' }] });
    const rssAfterWork = rssBytes(entry.server.pid);
    await stores.close();
    client.disconnect();
    const perSession = (memAfter - memBefore) / opts.sessions;
    log(`  ${opts.sessions} sessions written in ${writeSeconds.toFixed(1)} s: used_memory +${((memAfter - memBefore) / 1048576).toFixed(1)} MiB = ${perSession.toFixed(0)} B per session (${((keysAfter - keysBefore) / opts.sessions).toFixed(1)} keys each)`);
    log(`  server RSS: ${(rssBefore / 1048576).toFixed(0)} MiB before, ${(rssWithSessions / 1048576).toFixed(0)} MiB with ${opts.sessions} sessions, ${(rssAfterWork / 1048576).toFixed(0)} MiB after logins and tokens`);
    results.scenarios.push({
      id: 's7-memory',
      group: 7,
      title: 'memory',
      summary: {
        logins: logins.completed,
        usedMemoryPerLogin: Math.round((after - before) / logins.completed),
        familiesPerLogin: Object.fromEntries(Object.entries(delta).map(([family, d]) => [family, { keys: round2(d.keys / logins.completed), bytes: Math.round(d.bytes / logins.completed) }])),
        sessionBytesMemoryUsage: Math.round(sessionBytes / sessionKeys),
        sessionPayloadBytes: JSON.stringify(sessionTemplate).length,
        activityPayloadBytes: JSON.stringify(activityTemplate).length,
        sessions: opts.sessions,
        usedMemoryPerSession: Math.round(perSession),
        keysPerSession: round2((keysAfter - keysBefore) / opts.sessions),
        rssBefore,
        rssWithSessions,
        rssAfterWork,
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report, shut down

results.machine.loadavgEnd = os.loadavg();
results.finished = new Date().toISOString();
for (const entry of servers) await entry.server.stop();
if (redis) await redis.stop();
const written = await writeReport(results, path.join(ROOT, 'bench/results'));
log(`\n${written.markdownText}`);
log(`results: ${written.files.map((file) => path.relative(ROOT, file)).join(', ')}`);
log(`took ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
