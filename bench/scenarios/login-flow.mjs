// Scenario 5: the full authorization code + PKCE flow with a real password login, and in the same rounds the
// Argon2id-only ceiling (the same package verifying the same hash, pinned to the same core).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { inRoundOrder, log, round2 } from '../lib/common.mjs';
import { runFlows } from '../lib/flow.mjs';
import { latencySummary, median } from '../lib/load.mjs';
import { completed, summarizeRuns } from '../lib/measure.mjs';
import { ROOT, SERVER_CORE } from '../lib/processes.mjs';

function argon2Ceiling(opts, world, seconds) {
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

export async function loginFlow(bench) {
  const { opts, servers, seeds, results } = bench;
  const world = seeds['tessera-sqlite'];
  log(`\n[s5-flow] authorization code + PKCE with password login (Argon2id t=${world.argon2.timeCost} m=${world.argon2.memoryKiB} KiB p=${world.argon2.parallelism}), ${opts.flowConcurrency} concurrent browsers`);
  const ceilingRuns = [];
  const runs = Object.fromEntries(servers.map((entry) => [entry.id, []]));
  for (const entry of servers) await runFlows(entry.server.base, entry.world, { concurrency: opts.flowConcurrency, durationMs: opts.warmup * 1000 });
  await bench.startProfiles(servers);
  for (let round = 0; round < opts.runs; round += 1) {
    const ceiling = await argon2Ceiling(opts, world, opts.flowSeconds);
    ceilingRuns.push(ceiling);
    log(`  ${'argon2-only'.padEnd(15)} run ${round + 1}: ${ceiling.rps.toFixed(2).padStart(6)} verify/s  p50 ${ceiling.p50.toFixed(0)} ms  p99 ${ceiling.p99.toFixed(0)} ms  cpu ${(ceiling.cpuPerOp * 1000).toFixed(0)} ms/verify`);
    for (const entry of inRoundOrder(servers, round)) {
      const run = await bench.measured(entry, async () => {
        const flows = await runFlows(entry.server.base, entry.world, { concurrency: opts.flowConcurrency, durationMs: opts.flowSeconds * 1000 });
        const { latencies, ...rest } = flows;
        return { ...rest, rps: flows.completed / (flows.elapsedMs / 1000), ...latencySummary(latencies) };
      });
      runs[entry.id].push(run);
      log(`  ${entry.id.padEnd(15)} run ${round + 1}: ${run.rps.toFixed(2).padStart(6)} flows/s   p50 ${run.p50.toFixed(0)} ms  p99 ${run.p99.toFixed(0)} ms  cpu ${run.cpuMsPerRequest?.toFixed(0)} ms/flow${run.errors ? `  ERRORS ${run.errors}: ${run.firstError}` : ''}`);
    }
  }
  const profiles = await bench.stopProfiles(servers, 's5-flow', Object.fromEntries(servers.map((entry) => [entry.id, completed(runs[entry.id])])));
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
