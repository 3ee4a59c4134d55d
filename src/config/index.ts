export type { Config, KeyMaterial, TokenLifetimes } from './config.js';
export { ConfigError, loadConfig } from './load.js';
