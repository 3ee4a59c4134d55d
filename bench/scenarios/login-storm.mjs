// Scenario 6: the token endpoint at a fixed rate, idle and then during a storm of concurrent password logins
// (Argon2id must not stall the event loop).
import { log, round2, sleep } from '../lib/common.mjs';
import { runFlows } from '../lib/flow.mjs';
import { cannon, median } from '../lib/load.mjs';
import { summarizeRuns } from '../lib/measure.mjs';
import { ccRequest } from '../lib/token-requests.mjs';

export async function loginStorm(bench) {
  const { opts, servers, results } = bench;
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
  await bench.startProfiles(servers);
  for (let round = 0; round < opts.runs; round += 1) {
    for (const entry of servers) {
      const idle = await bench.measured(entry, () => tokenLoad(entry));
      const storm = await bench.measured(entry, async () => {
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
  const profiles = await bench.stopProfiles(servers, 's6-storm');
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
