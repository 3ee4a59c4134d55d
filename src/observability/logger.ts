import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may hold a secret in anything we log. Logging call sites pass small, explicit objects; this list is
 * the safety net for when one of them carries more than intended.
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'client_secret',
  '*.client_secret',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'code',
  '*.code',
  'cookie',
  '*.cookie',
  'authorization',
  '*.authorization',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'jwks',
  'cookieKeys',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'tessera' } }, destination);
}
