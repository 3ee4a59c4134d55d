// The Argon2id ceiling: how many verifications per second the server's core can do and nothing else. Run pinned
// like the servers (taskset -c 0), with the same argon2 package, the same stored hash (the seed parameters) and
// the same concurrency as the flow driver, so scenario 5 can be read as a fraction of it.
// argv: <hash> <password> <concurrency> <seconds>; prints one JSON line.
import { performance } from 'node:perf_hooks';
import argon2 from 'argon2';

const [hash, password, concurrencyArg, secondsArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const deadline = performance.now() + Number(secondsArg) * 1000;
const latencies = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      if (!(await argon2.verify(hash, password))) throw new Error('the seeded hash does not verify');
      latencies.push(performance.now() - start);
    }
  }),
);
const elapsed = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
latencies.sort((a, b) => a - b);
const pick = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
process.stdout.write(
  `${JSON.stringify({
    verifies: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: pick(50),
    p99: pick(99),
    cpuPerOp: (cpu.user + cpu.system) / 1e6 / latencies.length,
  })}\n`,
);
