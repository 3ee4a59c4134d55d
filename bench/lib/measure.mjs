// What every measured run records around its work: server (and Redis) CPU, event-loop lag and memory from the
// probe, and, with --profile, a CPU profile over the measured runs of a scenario.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { summarizeProfile } from './cpuprofile.mjs';
import { round2, round3 } from './common.mjs';
import { median } from './load.mjs';
import { cpuSeconds, probe, ROOT } from './processes.mjs';

/** Requests (or flows) answered over a list of runs. */
export const completed = (runs) => runs.reduce((sum, run) => sum + (run.ok ?? run.completed ?? 0), 0);

/** Medians of `fields` over the runs, plus the failed and answered counts. */
export function summarizeRuns(runs, fields = ['rps', 'p50', 'p99', 'cpuMsPerRequest', 'redisCpuMsPerRequest', 'loopLagP99']) {
  const summary = {};
  for (const field of fields) {
    const value = median(runs.map((run) => run[field]));
    summary[field] = field.startsWith('cpu') || field.startsWith('redisCpu') ? round3(value) : round2(value);
  }
  summary.non2xx = runs.reduce((sum, run) => sum + (run.non2xx ?? 0) + (run.errors ?? 0), 0);
  summary.requests = completed(runs);
  return summary;
}

export function createMeasurer({ redis, profile, profileDir }) {
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

  async function startProfiles(entries) {
    if (profile) await Promise.all(entries.map((entry) => probe(entry.server, '/profile/start')));
  }

  /** Stops the profiles; `requests` (per server id) turns self time into µs per request, comparable across servers. */
  async function stopProfiles(entries, scenarioId, requests = {}) {
    if (!profile) return {};
    const out = {};
    for (const entry of entries) {
      const file = path.join(profileDir, `${scenarioId}.${entry.id}.cpuprofile`);
      await probe(entry.server, `/profile/stop?file=${encodeURIComponent(file)}`);
      const cpuProfile = JSON.parse(readFileSync(file, 'utf8'));
      out[entry.id] = { file: path.relative(ROOT, file), top: summarizeProfile(cpuProfile, 15, requests[entry.id] ?? 0) };
    }
    return out;
  }

  return { measured, startProfiles, stopProfiles };
}
