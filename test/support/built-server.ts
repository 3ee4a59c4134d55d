import { execFile, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/** Helpers for tests that run the built server as operators do (`node dist/src/main.js`) in a child process. */

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `npm run build`, unless dist/ is newer than every source file: scripts/test.sh runs these tests twice (embedded
 * and Redis), and the second build would change nothing. tsc rewrites every output, so main.js dates the build.
 */
export async function buildUnlessFresh(): Promise<void> {
  const built = statSync(path.join(ROOT, 'dist/src/main.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  if (built > Math.max(...sources)) return;
  await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: ROOT });
}

/**
 * Starts `node dist/src/main.js` on loopback, with the metrics listener on a port of its own choosing; `env` adds
 * to (or overrides) that. Nothing else of this process's environment is passed on.
 */
export function spawnBuiltServer(env: Record<string, string>, stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): ChildProcess {
  const nodeFlags = ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=64', '--no-allocation-site-pretenuring'];
  return spawn(process.execPath, [...nodeFlags, 'dist/src/main.js'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', HOST: '127.0.0.1', METRICS_PORT: '0', ...env },
    stdio,
  });
}

/**
 * In the Redis run of scripts/test.sh the process uses Redis too (under a key prefix of its own), so what the test
 * checks holds for that topology as well.
 */
export function redisTopology(name: string): Record<string, string> {
  if (process.env.TESSERA_TEST_TOPOLOGY !== 'redis' || !process.env.TEST_REDIS_URL) return {};
  return { REDIS_URL: process.env.TEST_REDIS_URL, REDIS_KEY_PREFIX: `tessera-it:${name}-${process.pid}:` };
}
