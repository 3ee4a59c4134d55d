// Command-line options of bench.mjs (see bench/README.md): `--name=value` or `--flag`.

/** The options for `args` (process.argv.slice(2)); `wanted(n)` says whether scenario n runs. */
export function parseOptions(args) {
  const argv = Object.fromEntries(
    args.map((arg) => {
      const option = arg.replace(/^--/, '');
      const at = option.indexOf('=');
      return at < 0 ? [option, true] : [option.slice(0, at), option.slice(at + 1)];
    }),
  );
  const quick = Boolean(argv.quick);
  const opts = {
    // Five, not the minimum of three: on a shared 2-core machine one run in three or four is off by a third,
    // and a median of three then moves with it (bench/ROUNDS.md, twelfth round).
    runs: Number(argv.runs ?? (quick ? 3 : 5)),
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
  return { ...opts, wanted: (scenario) => !opts.only || opts.only.has(scenario) };
}
