export type {
  Config,
  DynamicRegistrationSettings,
  KeyMaterial,
  MetricsSettings,
  RateLimitSettings,
  RequestLimits,
  TlsSettings,
  TokenLifetimes,
} from './config.js';
export { ConfigError, loadConfig } from './load.js';
