/** The validated, resolved configuration the composition root works from. */
export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly issuer: string;
  readonly dataDir: string;
  readonly sqlitePath: string;
  readonly redisUrl?: string;
  /** Namespaces every Redis key, so several deployments can share one Redis. */
  readonly redisKeyPrefix: string;
  readonly mongodbUri?: string;
  /** Explicit key material; absent in development, where the store generates and keeps its own. */
  readonly keys?: KeyMaterial;
  readonly forceHttps: boolean;
  readonly trustProxy: boolean;
  readonly ttl: TokenLifetimes;
  readonly argon2: { timeCost: number; memoryKiB: number; parallelism: number };
  /** `kid:base64key,…` for AES-256-GCM field encryption; absent in development, where a key is derived. */
  readonly fieldEncryptionKeys?: string;
  readonly mail: { smtpUrl?: string; from: string };
  readonly passwordResetTtl: number;
  readonly logLevel: string;
}

export interface KeyMaterial {
  /** A private JSON Web Key Set (RFC 7517): every key has its private part. */
  readonly jwks: { keys: Array<Record<string, unknown>> };
  readonly cookieKeys: string[];
}

export interface TokenLifetimes {
  readonly accessToken: number;
  readonly authorizationCode: number;
  readonly idToken: number;
  readonly refreshToken: number;
  readonly clientCredentials: number;
  readonly session: number;
  readonly interaction: number;
  readonly grant: number;
}
