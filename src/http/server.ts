import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestLimits } from '../config/index.js';

/**
 * How often Node looks for requests past their headers/request timeout. Its default (30 s) would let a slow client
 * hold a connection up to 30 s beyond the configured timeout; scanning the open connections once a second is cheap.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * Listener options against oversized and slow requests, shared by the HTTP and HTTPS listeners. Node itself answers
 * 431 to headers over `maxHeaderSize` and 408 to a request whose headers or whole body take too long, before any
 * middleware runs.
 */
export function listenerOptions(limits: RequestLimits): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderSize,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, limits.headersTimeoutMs),
  };
}

export function createHttpServer(handler: RequestListener, limits: RequestLimits): Server {
  return createServer(listenerOptions(limits), handler);
}

/** Listens and resolves with the bound port (the chosen one when `port` is 0), or rejects (e.g. EADDRINUSE). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
