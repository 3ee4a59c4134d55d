// Tessera benchmarks: Tessera (Redis + SQLite, and the embedded SQLite default) measured side by side with bare
// oidc-provider, in one run, on one machine. Servers are pinned to core 0 (bench/run.sh pins this process, the load
// generator, to core 1). Every scenario warms up, then runs in interleaved rounds (server A, B, C; A, B, C; …) so
// drift on a shared machine hits every server alike; figures are medians over the rounds.
//
// Usage: bench/run.sh [--quick] [--only=1,2,5] [--runs=N] [--seconds=S] [--profile] [--sessions=N]
// This file only orchestrates: options (lib/options.mjs), servers (lib/servers.mjs), measurement (lib/measure.mjs),
// the scenarios (scenarios/*.mjs) and the report (lib/report.mjs).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { log, sleep } from './lib/common.mjs';
import { createMeasurer } from './lib/measure.mjs';
import { parseOptions } from './lib/options.mjs';
import { killAllSync, ROOT, SERVER_CORE } from './lib/processes.mjs';
import { writeReport } from './lib/report.mjs';
import { LABELS, startServers } from './lib/servers.mjs';
import { loginFlow } from './scenarios/login-flow.mjs';
import { loginStorm } from './scenarios/login-storm.mjs';
import { memory } from './scenarios/memory.mjs';
import { clientCredentials, discovery, introspection, refreshRotation } from './scenarios/throughput.mjs';

const opts = parseOptions(process.argv.slice(2));

const work = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
process.on('exit', () => {
  killAllSync();
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const started = new Date();
const profileDir = path.join(ROOT, 'bench/results/profiles', started.toISOString().replace(/[:.]/g, '-'));
if (opts.profile) mkdirSync(profileDir, { recursive: true });

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

const { servers, redis, seeds, skipped } = await startServers({ work, serverEnv: opts.serverEnv });
log(`servers: ${servers.map((s) => `${s.id} (pid ${s.server.pid}, ${s.server.base})`).join('; ')}${redis ? `; redis pid ${redis.pid} port ${redis.port}` : ''}`);

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
  options: { ...opts, wanted: undefined, only: opts.only ? [...opts.only] : null },
  argon2: seeds['tessera-sqlite'].argon2,
  servers: Object.fromEntries(servers.map((s) => [s.id, LABELS[s.id]])),
  skipped,
  scenarios: [],
};

/** What every scenario works with. */
const bench = { opts, servers, seeds, redis, results, ...createMeasurer({ redis, profile: opts.profile, profileDir }) };
const scenarios = [
  [1, discovery],
  [2, clientCredentials],
  [3, introspection],
  [4, refreshRotation],
  [5, loginFlow],
  [6, loginStorm],
  [7, memory],
];
for (const [number, scenario] of scenarios) if (opts.wanted(number)) await scenario(bench);

results.machine.loadavgEnd = os.loadavg();
results.finished = new Date().toISOString();
for (const entry of servers) await entry.server.stop();
if (redis) await redis.stop();
const written = await writeReport(results, path.join(ROOT, 'bench/results'));
log(`\n${written.markdownText}`);
log(`results: ${written.files.map((file) => path.relative(ROOT, file)).join(', ')}`);
log(`took ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
