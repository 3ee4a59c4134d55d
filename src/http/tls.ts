import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { RequestLimits, TlsSettings } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { listenerOptions } from './server.js';

/**
 * Forward-secret AEAD suites only, in preference order. TLS 1.3 has nothing else; for TLS 1.2 that is ECDHE key
 * exchange with AES-GCM or ChaCha20-Poly1305 (Mozilla's "intermediate" list without DHE, whose group sizes clients
 * cannot check). CBC, RSA key exchange, SHA-1 MACs and everything export-grade are left out by omission.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

const PROTOCOL_OPTIONS: SecureContextOptions = {
  minVersion: 'TLSv1.2',
  ciphers: TLS_CIPHERS,
  // Our order, not the client's: a client preferring a weaker suite we still accept does not get to pick it.
  honorCipherOrder: true,
};

/** Polling, not fs.watch: a Kubernetes secret or certbot renewal swaps symlinks, which inotify watches miss. */
const DEFAULT_RELOAD_POLL_MS = 2000;

export interface TlsListener {
  server: Server;
  /** Stops watching the certificate files (on shutdown). */
  stopWatching(): void;
}

/**
 * An HTTPS listener with the same limits as the HTTP one, whose certificate and key are read from files and
 * reloaded when either changes, without dropping connections. A renewal writes two files one after the other; a
 * pair that does not match (or a half-written file) is refused with a warning and the current one stays, until the
 * next change completes the pair.
 */
export function createTlsListener(
  handler: RequestListener,
  settings: TlsSettings,
  limits: RequestLimits,
  logger: Logger,
  reloadPollMs = DEFAULT_RELOAD_POLL_MS,
): TlsListener {
  const server = createServer({ ...listenerOptions(limits), ...PROTOCOL_OPTIONS, ...readPair(settings) }, handler);
  const reload = () => {
    try {
      server.setSecureContext({ ...PROTOCOL_OPTIONS, ...readPair(settings) });
      logger.info({ certFile: settings.certFile }, 'TLS certificate reloaded');
    } catch (error) {
      logger.warn({ err: error, certFile: settings.certFile }, 'TLS certificate not reloaded; keeping the current one');
    }
  };
  const files = [settings.certFile, settings.keyFile];
  for (const file of files) watchFile(file, { interval: reloadPollMs, persistent: false }, reload);
  return {
    server,
    stopWatching: () => files.forEach((file) => unwatchFile(file, reload)),
  };
}

/** Reads both files and checks they belong together: OpenSSL would take a mismatched pair and fail every handshake. */
function readPair(settings: TlsSettings): { cert: Buffer; key: Buffer } {
  const cert = readFileSync(settings.certFile);
  const key = readFileSync(settings.keyFile);
  if (!new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))) {
    throw new Error(`${settings.keyFile} is not the key of the certificate in ${settings.certFile}`);
  }
  return { cert, key };
}
