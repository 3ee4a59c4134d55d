// Scenario 7, memory: what real logins leave in Redis, then Redis bytes per active session with N sessions written
// through Tessera's own Redis store, and the server's RSS before, with them, and after more work.
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { log, round2, sleep } from '../lib/common.mjs';
import { runFlows } from '../lib/flow.mjs';
import { cannon } from '../lib/load.mjs';
import { ROOT, rssBytes } from '../lib/processes.mjs';
import { ccRequest } from '../lib/token-requests.mjs';

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

export async function memory(bench) {
  const { opts, servers, redis, results } = bench;
  const entry = servers.find((s) => s.id === 'tessera-redis');
  if (!entry) {
    log('\n[s7-memory] SKIP: needs the Redis topology');
    results.scenarios.push({ id: 's7-memory', group: 7, title: 'memory', skipped: 'the Redis topology is not running' });
    return;
  }
  log(`\n[s7-memory] Redis bytes per active session; server RSS with ${opts.sessions} sessions`);
  const { default: Redis } = await import('ioredis');
  const { openRedisStores } = await import(pathToFileURL(path.join(ROOT, 'dist/src/storage/redis/index.js')).href);
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
  const stores = await openRedisStores(redis.url, { log: { warn() {}, error() {}, info() {} }, keyPrefix: prefix });
  const [sessionKey] = (await client.scan('0', 'MATCH', `${prefix}artifact:Session:*`, 'COUNT', 10000))[1];
  const sessionTemplate = await stores.artifacts.find('Session', sessionKey.slice(`${prefix}artifact:Session:`.length));
  const activityTemplate = await stores.artifacts.find('SessionActivity', sessionTemplate.uid);
  const ttl = Math.max(60, (sessionTemplate.exp ?? 0) - Math.floor(Date.now() / 1000));
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
