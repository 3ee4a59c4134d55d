// The shape of scenarios 1–4: autocannon against every server at saturation, warm-up first, then interleaved
// rounds (A, B, C; C, B, A; …), medians compared with the baseline's in the same run.
import { inRoundOrder, log, round2 } from '../lib/common.mjs';
import { cannon } from '../lib/load.mjs';
import { completed, summarizeRuns } from '../lib/measure.mjs';

/**
 * `requestFor(entry, phase)` gives autocannon's request options for a server, or null when that server cannot serve
 * the scenario; `phase` is 'warmup' or 'measured', for a scenario whose warm-up must not use up or grow the state the
 * measured runs start from. `byAmount`: runs of a fixed request count (sized from the warm-up's rate to last about
 * opts.seconds), so that autocannon stops only after every answer arrived and leaves no request cut off in flight.
 */
export async function httpScenario(bench, { id, group, title, requestFor, note, connections = bench.opts.connections, afterRun = () => '', byAmount = false }) {
  const { opts, servers, results } = bench;
  const entries = servers.filter((entry) => requestFor(entry, 'measured') !== null);
  log(`\n[${id}] ${title}`);
  const runs = Object.fromEntries(entries.map((entry) => [entry.id, []]));
  const amounts = {};
  const sized = (rps, seconds) => Math.max(connections * 20, Math.round((rps * seconds) / connections) * connections);
  for (const entry of entries) {
    if (!byAmount) {
      await cannon({ url: entry.server.base, connections, seconds: opts.warmup, ...requestFor(entry, 'warmup') });
      continue;
    }
    const warmup = requestFor(entry, 'warmup');
    const first = await cannon({ url: entry.server.base, connections, amount: connections * 30, ...warmup });
    const second = await cannon({ url: entry.server.base, connections, amount: sized(first.rps, opts.warmup), ...warmup });
    amounts[entry.id] = sized(second.rps, opts.seconds);
  }
  await bench.startProfiles(entries);
  for (let round = 0; round < opts.runs; round += 1) {
    for (const entry of inRoundOrder(entries, round)) {
      const length = byAmount ? { amount: amounts[entry.id] } : { seconds: opts.seconds };
      const run = await bench.measured(entry, () => cannon({ url: entry.server.base, connections, ...length, ...requestFor(entry, 'measured') }));
      runs[entry.id].push(run);
      if (byAmount) amounts[entry.id] = sized(run.rps, opts.seconds);
      log(`  ${entry.id.padEnd(15)} run ${round + 1}: ${run.rps.toFixed(0).padStart(6)} req/s  p50 ${run.p50.toFixed(2)} ms  p99 ${run.p99.toFixed(2)} ms  cpu ${run.cpuMsPerRequest?.toFixed(3)} ms/req${process.env.BENCH_DEBUG ? ` [${run.ok} in ${run.seconds.toFixed(2)} s]` : ""}${run.non2xx || run.errors ? `  NON-2XX ${run.non2xx} ERR ${run.errors} ${JSON.stringify(run.statuses)}` : ''}${afterRun(entry)}`);
    }
  }
  const profiles = await bench.stopProfiles(entries, id, Object.fromEntries(entries.map((entry) => [entry.id, completed(runs[entry.id])])));
  const summary = Object.fromEntries(entries.map((entry) => [entry.id, summarizeRuns(runs[entry.id])]));
  const baseline = summary.baseline?.rps;
  for (const [serverId, figures] of Object.entries(summary)) {
    figures.ratio = baseline && serverId !== 'baseline' ? round2(figures.rps / baseline) : null;
  }
  const notServed = servers.filter((entry) => requestFor(entry, 'measured') === null).map((entry) => entry.id);
  results.scenarios.push({ id, group, title, note, summary, runs, notServed, profiles });
}
