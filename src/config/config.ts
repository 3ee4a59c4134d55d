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
  /** Seconds between `keys rotate` publishing a new signing key and the key signing. */
  readonly keyRotationLeadTime: number;
  /** Route rules for /forward-auth (method + path → scopes); absent: the gateway's X-Required-Scopes only. */
  readonly forwardAuthRulesFile?: string;
  readonly forceHttps: boolean;
  readonly trustProxy: boolean;
  readonly ttl: TokenLifetimes;
  readonly argon2: { timeCost: number; memoryKiB: number; parallelism: number };
  /** `kid:base64key,…` for AES-256-GCM field encryption; absent in development, where a key is derived. */
  readonly fieldEncryptionKeys?: string;
  readonly mail: { smtpUrl?: string; from: string };
  readonly passwordResetTtl: number;
  /** Account deletion: seconds from the request to the purge of personal data, and between purge runs. */
  readonly accountPurge: { after: number; interval: number };
  readonly logLevel: string;
  readonly metrics: MetricsSettings;
  readonly limits: RequestLimits;
  readonly rateLimits: RateLimitSettings;
  /** A native HTTPS listener; absent when TLS ends at a proxy in front. */
  readonly tls?: TlsSettings;
  /** RFC 7591/7592 dynamic client registration; absent when off (the default). */
  readonly dynamicRegistration?: DynamicRegistrationSettings;
}

export interface DynamicRegistrationSettings {
  /** The initial access token (RFC 7591 §3) every registration request must present as a bearer token. */
  readonly initialAccessToken: string;
}

/**
 * Where /metrics is served. With a token: on the public listener, to bearers of the token only. Without: only on
 * an internal listener (loopback by default), never on the public one.
 */
export interface MetricsSettings {
  readonly token?: string;
  readonly host: string;
  readonly port: number;
}

/** Sizes in bytes, times in milliseconds. */
export interface RequestLimits {
  readonly maxHeaderSize: number;
  readonly maxBodySize: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** How long a shutdown waits for in-flight requests before cutting them off. */
  readonly shutdownTimeoutMs: number;
}

/** Requests per client IP per window, by endpoint group; 0 means unlimited. */
export interface RateLimitSettings {
  readonly windowSeconds: number;
  readonly token: number;
  readonly login: number;
  readonly registration: number;
  readonly admin: number;
}

export interface TlsSettings {
  readonly certFile: string;
  readonly keyFile: string;
  readonly port: number;
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
