import { z } from 'zod';

/**
 * Every setting Tessera reads, with its default. `.env.example` documents the same list; `loadConfig` is the only
 * place that reads `process.env`.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const DAY = 24 * 60 * 60;

export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  SQLITE_PATH: z.string().min(1).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, 'letters, digits, _ : . - only').default('tessera:'),
  // A multi-host connection string is not a WHATWG URL; check its shape, the driver parses it at start-up.
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/[^\s/?#]+(\/[^\s?#]*)?(\?[^\s#]*)?$/, 'must be a mongodb:// or mongodb+srv:// connection string')
    .optional(),
  JWKS: z.string().min(1).optional(),
  JWKS_FILE: z.string().min(1).optional(),
  // A key added by `keys rotate` is published this long before it signs, so every cached JWKS holds it in time.
  KEY_ROTATION_LEAD_TIME: seconds(60 * 60),
  // /forward-auth: a JSON file of { rules: [{ method, path, scopes, audience? }] }; first match wins.
  FORWARD_AUTH_RULES_FILE: z.string().min(1).optional(),
  COOKIE_KEYS: z.string().min(1).optional(),
  FORCE_HTTPS: booleanFlag.optional(),
  TRUST_PROXY: booleanFlag.default(false),
  ACCESS_TOKEN_TTL: seconds(10 * 60),
  AUTHORIZATION_CODE_TTL: seconds(60),
  ID_TOKEN_TTL: seconds(60 * 60),
  REFRESH_TOKEN_TTL: seconds(14 * DAY),
  CLIENT_CREDENTIALS_TTL: seconds(10 * 60),
  SESSION_TTL: seconds(14 * DAY),
  INTERACTION_TTL: seconds(10 * 60),
  GRANT_TTL: seconds(14 * DAY),
  ARGON2_TIME_COST: z.coerce.number().int().min(1).max(100).default(3),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(8 * 1024).max(4 * 1024 * 1024).default(64 * 1024),
  ARGON2_PARALLELISM: z.coerce.number().int().min(1).max(64).default(4),
  FIELD_ENCRYPTION_KEYS: z.string().min(1).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Tessera <no-reply@localhost>'),
  PASSWORD_RESET_TTL: seconds(60 * 60),
  // A deleted account is disabled at once; its personal data is purged this long after (the retention window).
  ACCOUNT_PURGE_AFTER: seconds(90 * DAY),
  // How often each server instance looks for accounts due for purging.
  ACCOUNT_PURGE_INTERVAL: seconds(60 * 60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Metrics: with a token, /metrics on the public listener answers bearers of it; without, an internal listener.
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  // Limits against oversized and slow requests.
  MAX_HEADER_SIZE: z.coerce.number().int().min(1024).max(1024 * 1024).default(16 * 1024),
  MAX_BODY_SIZE: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(56 * 1024),
  HEADERS_TIMEOUT: seconds(20),
  REQUEST_TIMEOUT: seconds(30),
  // Within `docker stop`'s default grace (10 s) with time to spare for closing the stores.
  SHUTDOWN_TIMEOUT: seconds(8),
  // Requests per client IP per window; 0 turns a limit off.
  RATE_LIMIT_WINDOW: seconds(60),
  RATE_LIMIT_TOKEN: z.coerce.number().int().min(0).default(1200),
  RATE_LIMIT_LOGIN: z.coerce.number().int().min(0).default(300),
  RATE_LIMIT_REGISTRATION: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_ADMIN: z.coerce.number().int().min(0).default(600),
  // Native TLS: both files, or neither.
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  HTTPS_PORT: z.coerce.number().int().min(0).max(65535).default(3443),
  // RFC 7591/7592 dynamic client registration at /reg: off unless turned on, and then only with the token.
  DYNAMIC_REGISTRATION: booleanFlag.default(false),
  REGISTRATION_INITIAL_ACCESS_TOKEN: z.string().min(32, 'at least 32 characters').optional(),
});

export type Environment = z.infer<typeof environmentSchema>;
