// Server processes for the benchmark: each pinned to core 0 with taskset (the load generator, this process, is
// pinned to core 1 by run.sh), each with the probe preloaded, each stopped by its own pid.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER_CORE = process.env.BENCH_SERVER_CORE ?? '0';
const CLK_TCK = 100; // getconf CLK_TCK on Linux x86-64/arm64
const PROBE = pathToFileURL(path.join(ROOT, 'bench/lib/probe.mjs')).href;

export async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * The baseline runs oidc-provider as published on npm: its own install under bench/baseline/ (package.json pins the
 * version Tessera runs), where Node finds it before the root's copy, which carries Tessera's patches/. Installed on
 * first use, and again when the pinned version changes.
 */
export function ensureBaselineInstalled(root = ROOT) {
  const dir = path.join(root, 'bench/baseline');
  const wanted = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies['oidc-provider'];
  const installed = path.join(dir, 'node_modules/oidc-provider/package.json');
  if (existsSync(installed) && JSON.parse(readFileSync(installed, 'utf8')).version === wanted) return;
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
}

/** CPU seconds (user + system, all threads) the process has used so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export function rssBytes(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

function waitForPort(port, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Every child still running, so a crashed harness can still stop what it started (by pid, nothing else). */
export const running = new Set();

class Child {
  constructor(name, child, logFile) {
    this.name = name;
    this.child = child;
    this.pid = child.pid;
    this.logFile = logFile;
    this.exited = false;
    running.add(this);
    child.once('exit', () => {
      this.exited = true;
      running.delete(this);
    });
  }

  log() {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  }

  async stop(timeoutMs = 15_000) {
    if (this.exited) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** A redis-server of the benchmark's own on a free loopback port, pinned with the servers, no persistence. */
export async function startRedis(dir) {
  const port = await freePort();
  const logFile = path.join(dir, 'redis.log');
  const child = spawn(
    'taskset',
    ['-c', SERVER_CORE, 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')] },
  );
  const redis = new Child('redis', child, logFile);
  await waitForPort(port);
  redis.port = port;
  redis.url = `redis://127.0.0.1:${port}`;
  return redis;
}

/**
 * How Tessera is run (package.json's start script, the Dockerfile): a 64 MiB young generation and no allocation-site
 * pretenuring (docs/production.md, "Memory"). The baseline runs with
 * the same flags, so both servers get the same runtime and the ratios compare the code alone.
 */
export const SERVER_NODE_FLAGS = ['--disable-warning=ExperimentalWarning', '--max-semi-space-size=64', '--no-allocation-site-pretenuring'];

/** A Node server (Tessera's dist/src/main.js or the baseline) with the probe preloaded. */
export async function startNodeServer({ name, script, env, dir, nodeArgs = [] }) {
  const port = await freePort();
  const probePort = await freePort();
  // Tessera's internal metrics listener (when no METRICS_TOKEN is set) needs a port of its own too.
  const metricsPort = await freePort();
  const logFile = path.join(dir, `${name}.log`);
  const child = spawn(
    'taskset',
    ['-c', SERVER_CORE, process.execPath, ...SERVER_NODE_FLAGS, ...nodeArgs, '--import', PROBE, script],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        HOST: '127.0.0.1',
        PORT: String(port),
        ISSUER: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'warn',
        BENCH_PROBE_PORT: String(probePort),
        METRICS_PORT: String(metricsPort),
        ...env,
      },
      stdio: ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')],
    },
  );
  const server = new Child(name, child, logFile);
  try {
    await Promise.race([
      waitForPort(port),
      once(child, 'exit').then(([code]) => {
        throw new Error(`${name} exited with ${code}`);
      }),
    ]);
    await waitForPort(probePort);
  } catch (error) {
    await server.stop();
    throw new Error(`${error.message}\n${server.log()}`);
  }
  server.port = port;
  server.base = `http://127.0.0.1:${port}`;
  server.probe = `http://127.0.0.1:${probePort}`;
  return server;
}

export async function probe(server, pathname) {
  const response = await fetch(`${server.probe}${pathname}`);
  return response.json();
}

/** Last resort on a crash: SIGKILL our own children by pid. */
export function killAllSync() {
  for (const child of running) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {}
  }
}
