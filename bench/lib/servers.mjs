// Starts what a run measures: redis-server, Tessera on Redis + SQLite and on embedded SQLite (each seeded through
// the real composition root first), and the bare oidc-provider baseline configured from the same seed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { log } from './common.mjs';
import { authorize } from './flow.mjs';
import { ensureBaselineInstalled, startNodeServer, startRedis } from './processes.mjs';
import { REDIRECT_URI, seedTessera } from './seed.mjs';
import { tokenRequest } from './token-requests.mjs';

/**
 * Rate limits stay enforced but sit above the bench's volume. Far below a budget Tessera counts hits in memory and
 * sends them to the store once a second (src/http/rate-limit-windows.ts), as it does in production for large budgets.
 */
export const RATE_LIMITS = {
  RATE_LIMIT_TOKEN: '1000000000',
  RATE_LIMIT_LOGIN: '1000000000',
  RATE_LIMIT_REGISTRATION: '1000000000',
  RATE_LIMIT_ADMIN: '1000000000',
};

export const LABELS = {
  baseline: 'bare oidc-provider (in-memory)',
  'tessera-redis': 'Tessera, Redis + SQLite',
  'tessera-sqlite': 'Tessera, embedded SQLite',
};

/**
 * Tessera listens before its stores are open and answers 503 ("starting") until it has built its app, so an open port
 * does not yet mean it serves: its /readyz does.
 */
async function untilReady(server, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await fetch(`${server.base}/readyz`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`not ready ${timeoutMs} ms after listening`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Each server must answer a client_credentials request and complete one full flow, or it is left out. */
async function smokeTest(server, world) {
  const response = await tokenRequest(server.base, world.service, 'grant_type=client_credentials');
  if (response.status !== 200) throw new Error(`client_credentials answered ${response.status}: ${await response.text()}`);
  await authorize(server.base, world);
}

/**
 * Returns { servers: [{ id, server, world }] (baseline first), redis, seeds (per Tessera id), skipped }. Exits the
 * process when even the embedded default cannot start: there would be nothing to compare.
 */
export async function startServers({ work, serverEnv }) {
  const skipped = [];
  const servers = [];
  const seeds = {};
  let redis;
  try {
    redis = await startRedis(work);
  } catch (error) {
    log(`SKIP tessera-redis: could not start redis-server (${error.message.split('\n')[0]})`);
  }

  async function prepareTessera(id, env) {
    const dataDir = path.join(work, id);
    mkdirSync(dataDir, { recursive: true });
    const fullEnv = { DATA_DIR: dataDir, ...RATE_LIMITS, ...serverEnv, ...env };
    const world = { ...(await seedTessera(fullEnv)), redirectUri: REDIRECT_URI };
    const server = await startNodeServer({ name: id, script: 'dist/src/main.js', env: fullEnv, dir: work });
    await untilReady(server);
    await smokeTest(server, world);
    seeds[id] = world;
    return { id, server, world };
  }

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

  ensureBaselineInstalled();
  const seedFile = path.join(work, 'baseline-seed.json');
  writeFileSync(seedFile, JSON.stringify(seeds['tessera-sqlite']));
  const server = await startNodeServer({ name: 'baseline', script: 'bench/baseline/server.mjs', env: { ...serverEnv, BENCH_SEED: seedFile }, dir: work });
  const world = seeds['tessera-sqlite'];
  await smokeTest(server, world);
  servers.splice(0, 0, { id: 'baseline', server, world });
  return { servers, redis, seeds, skipped };
}
