export type {
  Config,
  KeyMaterial,
  MetricsSettings,
  RateLimitSettings,
  RequestLimits,
  TlsSettings,
  TokenLifetimes,
} from './config.js';
export { ConfigError, loadConfig } from './load.js';
