import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/index.js';

/** The settings for listeners, limits, metrics and TLS: defaults, units, and the combinations refused at start. */
describe('operations settings', () => {
  it('defaults to generous limits, an internal metrics listener on loopback and no TLS', () => {
    const config = loadConfig({});
    expect(config.limits).toEqual({
      maxHeaderSize: 16384,
      maxBodySize: 57344,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 30_000,
      shutdownTimeoutMs: 8_000,
    });
    expect(config.rateLimits).toEqual({ windowSeconds: 60, token: 1200, login: 300, registration: 60, admin: 600 });
    expect(config.metrics).toEqual({ token: undefined, host: '127.0.0.1', port: 9464 });
    expect(config.tls).toBeUndefined();
  });

  it('reads TLS files as a pair and refuses half of one', () => {
    expect(loadConfig({ TLS_CERT_FILE: '/c.pem', TLS_KEY_FILE: '/k.pem', HTTPS_PORT: '8443' }).tls).toEqual({
      certFile: '/c.pem',
      keyFile: '/k.pem',
      port: 8443,
    });
    expect(() => loadConfig({ TLS_CERT_FILE: '/c.pem' })).toThrow(expect.objectContaining({ setting: 'TLS_KEY_FILE' }));
    expect(() => loadConfig({ TLS_KEY_FILE: '/k.pem' })).toThrow(expect.objectContaining({ setting: 'TLS_CERT_FILE' }));
  });

  it('refuses a headers timeout longer than the request timeout, a short metrics token and a negative rate limit', () => {
    expect(() => loadConfig({ HEADERS_TIMEOUT: '40', REQUEST_TIMEOUT: '30' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(expect.objectContaining({ setting: 'METRICS_TOKEN' }));
    expect(() => loadConfig({ RATE_LIMIT_LOGIN: '-1' })).toThrow(expect.objectContaining({ setting: 'RATE_LIMIT_LOGIN' }));
    expect(loadConfig({ RATE_LIMIT_LOGIN: '0' }).rateLimits.login).toBe(0);
  });
});
