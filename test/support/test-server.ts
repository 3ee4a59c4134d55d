import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTessera, type Tessera } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';

export interface TestServer {
  tessera: Tessera;
  issuer: string;
  port: number;
  dataDir: string;
  /** Environment for running the CLI against this server's stores. */
  cliEnv: Record<string, string>;
  /** Stops the HTTP server and closes the stores; keeps the data folder (for restart tests). */
  stop(): Promise<void>;
  /** stop() and delete the data folder. */
  destroy(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  /** Reuse a data folder (to test that a restart keeps state). */
  dataDir?: string;
  /** Reuse a port (a restart keeps the issuer). */
  port?: number;
  /** Public issuer URL; defaults to http://127.0.0.1:<port>. */
  issuer?: (port: number) => string;
  /** The server's logger; by default one at TEST_LOG_LEVEL (silent unless set). */
  logger?: Logger;
}

/**
 * The real server on an ephemeral loopback port with its own SQLite file. The socket is bound first so the
 * issuer (which must name the port) is known before the app is built.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'tessera-it-'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = options.issuer?.(port) ?? `http://127.0.0.1:${port}`;
  const env = { NODE_ENV: 'test', DATA_DIR: dataDir, ISSUER: issuer, PORT: String(port), ...topology(), ...options.env };
  const config = loadConfig(env);
  const tessera = await createTessera(config, options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
  server.on('request', tessera.http.callback());
  const stop = async () => {
    await closeServer(server);
    await tessera.close();
    // Let fetch's keep-alive pool see the closed sockets, or a restarted server's first request reuses a dead one.
    await new Promise((resolve) => setTimeout(resolve, 50));
  };
  return {
    tessera,
    issuer,
    port,
    dataDir,
    cliEnv: { ...env, LOG_LEVEL: 'silent' },
    stop,
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * scripts/test.sh runs the integration suite twice: on the embedded default, then with TESSERA_TEST_TOPOLOGY=redis
 * against its redis-server (the production topology that can run here). Each server gets its own key prefix, so
 * test files running side by side never share counters.
 */
function topology(): Record<string, string> {
  if (process.env.TESSERA_TEST_TOPOLOGY !== 'redis') return {};
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TESSERA_TEST_TOPOLOGY=redis needs TEST_REDIS_URL (scripts/test.sh sets it)');
  return { REDIS_URL: url, REDIS_KEY_PREFIX: `tessera-it:${randomUUID()}:` };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
