import { createServer, type Server } from 'node:http';
import { createTessera } from './app.js';
import { ConfigError, loadConfig } from './config/index.js';
import { createLogger } from './observability/logger.js';

const SHUTDOWN_GRACE_MS = 10_000;

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
  const tessera = await createTessera(config, logger);
  const server = createServer(tessera.http.callback());
  // Slow-client limits: a request must finish its headers and body in bounded time.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info({ issuer: config.issuer, port: config.port, store: config.sqlitePath }, 'Tessera listening');

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    forced.unref();
    void closeServer(server)
      .then(() => tessera.close())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`Tessera failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
