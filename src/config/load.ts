import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseFieldKeys } from '../crypto/field-encryption.js';
import { missingSigningAlgorithms } from '../crypto/signing-algorithms.js';
import type { Config, DynamicRegistrationSettings, KeyMaterial, RequestLimits, TlsSettings } from './config.js';
import { environmentSchema, type Environment } from './schema.js';

/** A setting is missing or wrong; the message names it so an operator can fix it. */
export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${setting}: ${reason}`);
    this.name = 'ConfigError';
  }
}

const MIN_COOKIE_KEY_LENGTH = 32;

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(withoutBlankValues(source));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const keys = readKeyMaterial(env);
  if (production && !keys) {
    throw new ConfigError('JWKS', 'signing keys (JWKS or JWKS_FILE) and COOKIE_KEYS are required in production');
  }
  const issuer = (env.ISSUER ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  if (production && !env.ISSUER) {
    throw new ConfigError('ISSUER', 'required in production');
  }
  if (production && !env.FIELD_ENCRYPTION_KEYS) {
    throw new ConfigError('FIELD_ENCRYPTION_KEYS', 'required in production');
  }
  if (env.FIELD_ENCRYPTION_KEYS) {
    try {
      parseFieldKeys(env.FIELD_ENCRYPTION_KEYS);
    } catch (error) {
      throw new ConfigError('FIELD_ENCRYPTION_KEYS', (error as Error).message);
    }
  }
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    issuer,
    dataDir: env.DATA_DIR,
    sqlitePath: env.SQLITE_PATH ?? path.join(env.DATA_DIR, 'tessera.db'),
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    mongodbUri: env.MONGODB_URI,
    keys,
    keyRotationLeadTime: env.KEY_ROTATION_LEAD_TIME,
    forwardAuthRulesFile: env.FORWARD_AUTH_RULES_FILE,
    forceHttps: env.FORCE_HTTPS ?? production,
    trustProxy: env.TRUST_PROXY,
    ttl: {
      accessToken: env.ACCESS_TOKEN_TTL,
      authorizationCode: env.AUTHORIZATION_CODE_TTL,
      idToken: env.ID_TOKEN_TTL,
      refreshToken: env.REFRESH_TOKEN_TTL,
      clientCredentials: env.CLIENT_CREDENTIALS_TTL,
      session: env.SESSION_TTL,
      interaction: env.INTERACTION_TTL,
      grant: env.GRANT_TTL,
    },
    argon2: { timeCost: env.ARGON2_TIME_COST, memoryKiB: env.ARGON2_MEMORY_KIB, parallelism: env.ARGON2_PARALLELISM },
    fieldEncryptionKeys: env.FIELD_ENCRYPTION_KEYS,
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    passwordResetTtl: env.PASSWORD_RESET_TTL,
    accountPurge: { after: env.ACCOUNT_PURGE_AFTER, interval: env.ACCOUNT_PURGE_INTERVAL },
    logLevel: env.LOG_LEVEL,
    metrics: { token: env.METRICS_TOKEN, host: env.METRICS_HOST, port: env.METRICS_PORT },
    limits: readRequestLimits(env),
    rateLimits: {
      windowSeconds: env.RATE_LIMIT_WINDOW,
      token: env.RATE_LIMIT_TOKEN,
      login: env.RATE_LIMIT_LOGIN,
      registration: env.RATE_LIMIT_REGISTRATION,
      admin: env.RATE_LIMIT_ADMIN,
    },
    tls: readTlsSettings(env),
    dynamicRegistration: readDynamicRegistration(env),
  };
}

/** Open registration would let anyone create clients; turning it on requires the initial access token. */
function readDynamicRegistration(env: Environment): DynamicRegistrationSettings | undefined {
  if (!env.DYNAMIC_REGISTRATION) return undefined;
  if (!env.REGISTRATION_INITIAL_ACCESS_TOKEN) {
    throw new ConfigError('REGISTRATION_INITIAL_ACCESS_TOKEN', 'required when DYNAMIC_REGISTRATION is on (registration is never open)');
  }
  return { initialAccessToken: env.REGISTRATION_INITIAL_ACCESS_TOKEN };
}

function readRequestLimits(env: Environment): RequestLimits {
  // Node refuses a server whose headers may take longer than the whole request.
  if (env.HEADERS_TIMEOUT > env.REQUEST_TIMEOUT) {
    throw new ConfigError('HEADERS_TIMEOUT', `must not exceed REQUEST_TIMEOUT (${env.REQUEST_TIMEOUT})`);
  }
  return {
    maxHeaderSize: env.MAX_HEADER_SIZE,
    maxBodySize: env.MAX_BODY_SIZE,
    headersTimeoutMs: env.HEADERS_TIMEOUT * 1000,
    requestTimeoutMs: env.REQUEST_TIMEOUT * 1000,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT * 1000,
  };
}

function readTlsSettings(env: Environment): TlsSettings | undefined {
  if (!env.TLS_CERT_FILE && !env.TLS_KEY_FILE) return undefined;
  if (!env.TLS_CERT_FILE) throw new ConfigError('TLS_CERT_FILE', 'TLS_KEY_FILE is set, so the certificate must be set too');
  if (!env.TLS_KEY_FILE) throw new ConfigError('TLS_KEY_FILE', 'TLS_CERT_FILE is set, so the key must be set too');
  return { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE, port: env.HTTPS_PORT };
}

/** An empty variable (`FOO=` in a .env file) means "use the default", as with most twelve-factor tools. */
function withoutBlankValues(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => !!entry[1]?.trim()));
}

const privateJwksSchema = z.object({
  keys: z
    .array(z.looseObject({ kty: z.string(), d: z.string({ message: 'every key must be a private key (d)' }) }))
    .min(1),
});

function readKeyMaterial(env: Environment): KeyMaterial | undefined {
  const jwksText = env.JWKS ?? (env.JWKS_FILE ? readSetting('JWKS_FILE', env.JWKS_FILE) : undefined);
  if (!jwksText && !env.COOKIE_KEYS) return undefined;
  const setting = env.JWKS ? 'JWKS' : 'JWKS_FILE';
  if (!jwksText) throw new ConfigError('JWKS', 'COOKIE_KEYS is set, so signing keys must be set too');
  if (!env.COOKIE_KEYS) throw new ConfigError('COOKIE_KEYS', `${setting} is set, so cookie keys must be set too`);

  let jwks: unknown;
  try {
    jwks = JSON.parse(jwksText);
  } catch {
    throw new ConfigError(setting, 'is not valid JSON');
  }
  const checked = privateJwksSchema.safeParse(jwks);
  if (!checked.success) throw new ConfigError(setting, checked.error.issues[0]!.message);
  // Each resource server picks its JWT algorithm and ID tokens default to RS256: a missing one would fail at issuance.
  const missing = missingSigningAlgorithms(checked.data.keys);
  if (missing.length) throw new ConfigError(setting, `needs a signing key for each of ES256, RS256, EdDSA (missing ${missing.join(', ')})`);

  const cookieKeys = env.COOKIE_KEYS.split(',').map((key) => key.trim());
  if (cookieKeys.some((key) => key.length < MIN_COOKIE_KEY_LENGTH)) {
    throw new ConfigError('COOKIE_KEYS', `each comma-separated key needs at least ${MIN_COOKIE_KEY_LENGTH} characters`);
  }
  return { jwks: checked.data, cookieKeys };
}

function readSetting(setting: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(setting, `cannot read ${file}: ${(error as Error).message}`);
  }
}
