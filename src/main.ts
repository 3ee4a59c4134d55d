import type { RequestListener, Server } from 'node:http';
import { createTessera, type Tessera } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import { closeGracefully } from './http/graceful-close.js';
import { internalMetricsApp } from './http/metrics-endpoint.js';
import { createHttpServer, listen } from './http/server.js';
import { startingApp } from './http/starting-app.js';
import { createTlsListener } from './http/tls.js';
import { createLogger, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { StartingGate } from './startup/starting-gate.js';

/** Time the stores get to close after the listeners have; past it the process exits non-zero regardless. */
const STORE_CLOSE_GRACE_MS = 5_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const metrics = new Metrics();
  // The listeners come up at once; until the stores answer and the app is built they say "starting" (503).
  const gate = new StartingGate<Tessera>(() => createTessera(config, logger, { metrics }), { log: logger });
  const whileStarting = startingApp({
    issuer: config.issuer,
    forceHttps: config.forceHttps,
    trustProxy: config.trustProxy,
    waitingFor: () => gate.waitingFor,
  }).callback();
  const publicHandler = gate.listener(whileStarting, (tessera) => tessera.http.callback());
  const { servers, stopWatching } = await startListeners(config, publicHandler, metrics, logger);
  const started = gate.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const backstop = setTimeout(() => {
      logger.error('shutdown did not finish in time');
      process.exit(1);
    }, config.limits.shutdownTimeoutMs + STORE_CLOSE_GRACE_MS);
    backstop.unref();
    gate.stop();
    const { cutOff } = await closeGracefully(servers, config.limits.shutdownTimeoutMs);
    if (cutOff > 0) logger.warn({ connections: cutOff }, 'connections still busy at the shutdown timeout were cut off');
    stopWatching();
    // Still starting: the attempt in flight is let finish, and closed if it built anything.
    const tessera = await started.catch(() => undefined);
    await tessera?.close();
    logger.info('stopped');
    process.exit(0);
  };
  // A second signal while shutting down gets Node's default: an immediate exit, for an operator who will not wait.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
    });
  }

  const tessera = await started;
  if (tessera && !stopping) logger.info({ issuer: config.issuer, store: config.sqlitePath }, 'Tessera ready');
}

/**
 * The public HTTP listener; the HTTPS one when a certificate is configured; and, when no metrics token is set, the
 * internal metrics listener (loopback by default), because then /metrics is not served publicly at all.
 */
async function startListeners(config: Config, handler: RequestListener, metrics: Metrics, logger: Logger) {
  const servers: Server[] = [];
  const start = async (name: string, server: Server, port: number, host: string, setting: string) => {
    servers.push(server);
    const bound = await listen(server, port, host).catch((error: NodeJS.ErrnoException) => {
      throw new ListenerError(listenFailure(error, host, port, setting));
    });
    logger.info({ listener: name, host, port: bound }, `${name} listening`);
  };

  await start('http', createHttpServer(handler, config.limits), config.port, config.host, 'PORT');
  let stopWatching = () => {};
  if (config.tls) {
    const tls = createTlsListener(handler, config.tls, config.limits, logger);
    stopWatching = tls.stopWatching;
    await start('https', tls.server, config.tls.port, config.host, 'HTTPS_PORT');
  }
  if (!config.metrics.token) {
    const metricsServer = createHttpServer(internalMetricsApp(metrics).callback(), config.limits);
    await start('metrics', metricsServer, config.metrics.port, config.metrics.host, 'METRICS_PORT (or set METRICS_TOKEN)');
  }
  return { servers, stopWatching };
}

/** A listener that cannot bind: the message names the setting to change, so no stack trace is needed. */
class ListenerError extends Error {}

function listenFailure(error: NodeJS.ErrnoException, host: string, port: number, setting: string): string {
  if (error.code === 'EADDRINUSE') return `${host}:${port} is already in use by another process: stop it or choose another ${setting}`;
  if (error.code === 'EACCES') return `no permission to listen on ${host}:${port}: choose a port above 1023 with ${setting}`;
  if (error.code === 'EADDRNOTAVAIL') return `${host} is not an address of this machine: check the listener's host setting`;
  return `cannot listen on ${host}:${port} (${error.code ?? error.message})`;
}

main().catch((error: unknown) => {
  if (error instanceof ListenerError) {
    process.stderr.write(`Tessera failed to start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`Tessera failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
