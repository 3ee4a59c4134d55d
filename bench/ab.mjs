// A/B of built variants of Tessera, for deciding whether one change is worth its code before a full run:
//
//   node bench/ab.mjs snapshot <dir>          copies this checkout's dist/, bench/ and package.json to <dir> (one
//                                             variant; node_modules is linked), to patch or to keep as "before"
//   taskset -c 1 node_modules/.bin/node bench/ab.mjs compare <dir>,<dir>[,baseline][,baseline@<dir>]
//     [--scenario=opaque|es256|rs256|eddsa|introspection|refresh|jwks] [--topology=sqlite|redis] [--runs=6] [--seconds=3]
//     [--warmup=4] [--prefill=N] [--amount=1500] [--profile]
//
// Each variant is seeded through its own dist/ and run as its own server, pinned to core 0 like the full harness's;
// runs alternate between the variants (reversed every other round, so a drifting machine favours none) and the
// medians of server CPU µs per request are printed. `baseline` adds bare oidc-provider seeded like the first
// variant; `baseline@<dir>` the baseline of a snapshot instead (to measure a change to the baseline itself).
// `--prefill=N` puts N client-credentials rows into each variant's SQLite file first (introspection against a grown
// token table). `refresh` walks 16 fresh rotation chains per run (password logins first), each run a fixed
// `--amount` of requests so that no answer is cut off (a token presented twice revokes its grant). With
// `--topology=redis`, a variant written `<dir>:sqlite` runs on the embedded store instead, so one build can be
// compared across the two topologies. On this machine runs of the same code differ by ±10 µs: compare medians of 6
// or more runs.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inRoundOrder } from './lib/common.mjs';
import { basic } from './lib/flow.mjs';
import { cannon, median } from './lib/load.mjs';
import { cpuSeconds, ensureBaselineInstalled, ROOT, startNodeServer, startRedis } from './lib/processes.mjs';
import { API, OTHER_ALG_APIS, REDIRECT_URI } from './lib/seed.mjs';
import { RATE_LIMITS } from './lib/servers.mjs';
import { ccRequest, FORM, refreshTokenChains, rotationRequest, tokenRequest } from './lib/token-requests.mjs';

const [command, target, ...rest] = process.argv.slice(2);

if (command === 'snapshot' && target) {
  const dir = path.resolve(target);
  mkdirSync(dir, { recursive: true });
  for (const part of ['dist', 'bench', 'package.json']) cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  console.log(`variant at ${dir}`);
  process.exit(0);
}
if (command !== 'compare' || !target) {
  console.error('usage: node bench/ab.mjs snapshot <dir> | compare <dir>,<dir>[,baseline] [--scenario=…] (see the file)');
  process.exit(2);
}

const argv = Object.fromEntries(
  rest.map((arg) => {
    const [name, value = true] = arg.replace(/^--/, '').split('=');
    return [name, value];
  }),
);
const runs = Number(argv.runs ?? 6);
const seconds = Number(argv.seconds ?? 3);
const scenario = argv.scenario ?? 'es256';
const variants = target.split(',');
const work = mkdtempSync(path.join(tmpdir(), 'tessera-ab-'));
const redis = argv.topology === 'redis' ? await startRedis(work) : undefined;
// The variant's own harness modules: its seeding runs through its own dist/.
const variantModule = (dir, file) => import(path.join(path.resolve(dir), 'bench/lib', file));

/** Client-credentials rows of the size Tessera stores, so token lookups meet a table of realistic depth. */
function prefill(file, count) {
  const db = new DatabaseSync(file);
  const insert = db.prepare('INSERT INTO oidc_artifacts (model, id, payload, expires_at) VALUES (?, ?, ?, ?)');
  const payload = JSON.stringify({ kind: 'ClientCredentials', clientId: 'prefill', scope: 'devices:read', jti: 'x'.repeat(43), iat: 1, exp: 2e9, pad: ' '.repeat(400) });
  db.exec('BEGIN');
  for (let i = 0; i < count; i += 1) insert.run(i % 3 ? 'ClientCredentials' : 'AccessToken', randomBytes(32).toString('base64url'), payload, Date.now() + 3_600_000);
  db.exec('COMMIT');
  db.close();
}

async function start(variant, index, first) {
  const embedded = variant.endsWith(':sqlite');
  const dir = embedded ? variant.slice(0, -':sqlite'.length) : variant;
  const profile = argv.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(work, `profile-${index}`)}`] : [];
  // `baseline@<dir>`: the baseline server of a snapshot, to compare two versions of the baseline itself.
  const baselineOf = dir === 'baseline' ? ROOT : dir.startsWith('baseline@') ? dir.slice('baseline@'.length) : undefined;
  if (baselineOf !== undefined) {
    const seedFile = path.join(work, `baseline-seed-${index}.json`);
    writeFileSync(seedFile, JSON.stringify(first.world));
    const variant = baselineOf === ROOT ? { startNodeServer, ensureBaselineInstalled } : await variantModule(baselineOf, 'processes.mjs');
    variant.ensureBaselineInstalled?.(baselineOf);
    const { startNodeServer: startBaseline } = variant;
    const server = await startBaseline({ name: `baseline-${index}`, script: 'bench/baseline/server.mjs', env: { BENCH_SEED: seedFile }, dir: work, nodeArgs: profile });
    return { id: dir, server, world: first.world };
  }
  const { startNodeServer: startVariant } = await variantModule(dir, 'processes.mjs');
  const env = { DATA_DIR: path.join(work, `variant-${index}`), ...RATE_LIMITS, ...(redis && !embedded ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: `v${index}:` } : {}) };
  mkdirSync(env.DATA_DIR, { recursive: true });
  const world = { ...(await (await variantModule(dir, 'seed.mjs')).seedTessera(env)), redirectUri: REDIRECT_URI };
  if (argv.prefill) prefill(path.join(env.DATA_DIR, 'tessera.db'), Number(argv.prefill));
  const server = await startVariant({ name: `variant-${index}`, script: 'dist/src/main.js', env, dir: work, nodeArgs: profile });
  while ((await fetch(`${server.base}/readyz`).catch(() => ({ status: 0 }))).status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
  return { id: variant, server, world };
}

async function requestsFor(entry) {
  if (scenario === 'opaque') return { requests: [{ ...ccRequest(null)(entry), path: '/token' }] };
  if (scenario === 'es256') return { requests: [{ ...ccRequest(API)(entry), path: '/token' }] };
  const otherAlgApi = Object.keys(OTHER_ALG_APIS).find((api) => OTHER_ALG_APIS[api].toLowerCase() === scenario);
  if (otherAlgApi) return { requests: [{ ...ccRequest(otherAlgApi)(entry), path: '/token' }] };
  if (scenario === 'jwks') return { method: 'GET', path: '/jwks' };
  if (scenario === 'refresh') {
    const chains = await refreshTokenChains(entry, 16);
    // A broken chain shows as a non-2xx answer, which the run's `failed` count already reports.
    return { amount: Number(argv.amount ?? 1500), requests: [rotationRequest(entry, chains, () => {})] };
  }
  if (scenario !== 'introspection') throw new Error(`unknown scenario ${scenario}`);
  const pool = [];
  while (pool.length < 2000) pool.push((await (await tokenRequest(entry.server.base, entry.world.service, 'grant_type=client_credentials')).json()).access_token);
  let next = 0;
  const headers = { authorization: basic(entry.world.service.clientId, entry.world.service.clientSecret), 'content-type': FORM };
  return { requests: [{ method: 'POST', path: '/token/introspection', headers, setupRequest: (request) => ({ ...request, body: `token=${pool[next++ % pool.length]}` }) }] };
}

const entries = [];
for (const [index, dir] of variants.entries()) entries.push(await start(dir, index, entries[0]));
const measured = new Map(entries.map((entry) => [entry, []]));
try {
  for (const entry of entries) await cannon({ url: entry.server.base, connections: 10, seconds: Number(argv.warmup ?? 4), ...(await requestsFor(entry)) });
  for (let run = 0; run < runs; run += 1) {
    for (const entry of inRoundOrder(entries, run)) {
      const load = await requestsFor(entry);
      const before = cpuSeconds(entry.server.pid);
      const redisBefore = redis ? cpuSeconds(redis.pid) : 0;
      const result = await cannon({ url: entry.server.base, connections: 10, seconds, ...load });
      const perRequest = (cpu) => (cpu / (result.ok + result.non2xx)) * 1e6;
      measured.get(entry).push({
        us: perRequest(cpuSeconds(entry.server.pid) - before),
        // Redis runs on the server's core: what it spends per request is taken from the server's throughput.
        redisUs: redis ? perRequest(cpuSeconds(redis.pid) - redisBefore) : undefined,
        rps: result.rps,
        failed: result.non2xx + result.errors,
      });
    }
  }
} finally {
  for (const entry of entries) await entry.server.stop();
  await redis?.stop();
}
for (const [entry, results] of measured) {
  const runsText = results.map((result) => result.us.toFixed(0)).join(' ');
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  const redisText = redis ? ` + ${median(results.map((r) => r.redisUs)).toFixed(1)} µs of Redis's` : '';
  console.log(`${entry.id}: ${median(results.map((r) => r.us)).toFixed(1)} µs of server CPU${redisText} per request, ${median(results.map((r) => r.rps)).toFixed(0)} req/s (runs: ${runsText}; failed: ${failed})`);
}
console.log(`data and profiles: ${work}`);
process.exit(0);
