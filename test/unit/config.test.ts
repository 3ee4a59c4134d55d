import { describe, expect, it } from '@jest/globals';
import { generateFieldKeySetting } from '../../src/crypto/index.js';
import { generateCookieKeys, generateSigningKeySet } from '../../src/crypto/key-generation.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const keys = () => ({
  JWKS: JSON.stringify(generateSigningKeySet()),
  COOKIE_KEYS: 'k'.repeat(32),
  FIELD_ENCRYPTION_KEYS: generateFieldKeySetting(),
});

describe('loadConfig', () => {
  it('has development defaults that need no settings at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      issuer: 'http://localhost:3000',
      sqlitePath: 'data/tessera.db',
      forceHttps: false,
      trustProxy: false,
      ttl: { accessToken: 600, authorizationCode: 60 },
    });
    expect(config.keys).toBeUndefined();
  });

  it('reads lifetimes, paths and flags', () => {
    const config = loadConfig({ ACCESS_TOKEN_TTL: '120', DATA_DIR: '/srv/t', TRUST_PROXY: 'yes', PORT: '8080' });
    expect(config.ttl.accessToken).toBe(120);
    expect(config.sqlitePath).toBe('/srv/t/tessera.db');
    expect(config.trustProxy).toBe(true);
    expect(config.issuer).toBe('http://localhost:8080');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ ACCESS_TOKEN_TTL: '-5' }, 'ACCESS_TOKEN_TTL'],
    [{ ISSUER: 'ftp://example.com' }, 'ISSUER'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ JWKS: '{not json', COOKIE_KEYS: 'k'.repeat(32) }, 'JWKS'],
    [{ JWKS: JSON.stringify({ keys: [{ kty: 'EC', x: '1' }] }), COOKIE_KEYS: 'k'.repeat(32) }, 'JWKS'],
    [{ ...keys(), COOKIE_KEYS: 'short' }, 'COOKIE_KEYS'],
    [{ JWKS: keys().JWKS }, 'COOKIE_KEYS'],
    [{ JWKS_FILE: '/nonexistent/jwks.json', COOKIE_KEYS: 'k'.repeat(32) }, 'JWKS_FILE'],
    [{ FIELD_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' }, 'FIELD_ENCRYPTION_KEYS'],
    [{ FIELD_ENCRYPTION_KEYS: 'no-colon' }, 'FIELD_ENCRYPTION_KEYS'],
    [{ ARGON2_MEMORY_KIB: '1024' }, 'ARGON2_MEMORY_KIB'],
    [{ SMTP_URL: 'http://mail.example' }, 'SMTP_URL'],
  ])('names the wrong setting: %j', (env, setting) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${setting}:`));
  });

  it('requires keys and an issuer in production, and turns HTTPS enforcement on there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ISSUER: 'https://id.example.com' })).toThrow(/JWKS/);
    expect(() => loadConfig({ NODE_ENV: 'production', ...keys() })).toThrow(/ISSUER/);
    expect(() => loadConfig({ NODE_ENV: 'production', ISSUER: 'https://id.example.com', ...keys(), FIELD_ENCRYPTION_KEYS: '' })).toThrow(
      /FIELD_ENCRYPTION_KEYS/,
    );
    const config = loadConfig({ NODE_ENV: 'production', ISSUER: 'https://id.example.com/', ...keys() });
    expect(config.issuer).toBe('https://id.example.com');
    expect(config.forceHttps).toBe(true);
    expect(config.keys?.jwks.keys).toHaveLength(3);
    expect(config.keys?.cookieKeys).toEqual(['k'.repeat(32)]);
  });

  it('accepts replica-set connection strings with several hosts', () => {
    const uri = 'mongodb://user:p%40ss@mongo1:27017,mongo2:27018,mongo3:27019/tessera?replicaSet=rs0&tls=true';
    expect(loadConfig({ MONGODB_URI: uri }).mongodbUri).toBe(uri);
    expect(loadConfig({ MONGODB_URI: 'mongodb+srv://cluster0.example.net/tessera' }).mongodbUri).toBeDefined();
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/^Invalid configuration: MONGODB_URI:/);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '  ' }).port).toBe(3000);
  });

  it('generates distinct private keys for each algorithm', () => {
    const { keys: generated } = generateSigningKeySet();
    expect(generated.map((key) => key.alg)).toEqual(['RS256', 'ES256', 'EdDSA']);
    expect(new Set(generated.map((key) => key.kid)).size).toBe(3);
    for (const key of generated) expect(key.d).toBeDefined();
    expect(generateCookieKeys()[0]!.length).toBeGreaterThanOrEqual(43);
  });
});
