import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import Provider from 'oidc-provider';
import { NEVER_CONSUMED_MODELS } from '../../src/storage/ports.js';

/**
 * The Redis adapter writes these models without keeping a consumed mark (ports/artifacts.ts). That is only right
 * while oidc-provider never consumes them: this fails when an upgrade gives one of them a consume().
 */
describe('NEVER_CONSUMED_MODELS', () => {
  let models: Record<string, unknown>;
  // A bare provider warns about its quick-start defaults; none of them matters to its model classes.
  beforeAll(() => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    models = new Provider('http://localhost:3000', {}) as unknown as Record<string, unknown>;
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  const consumeOf = (name: string) => (models[name] as { prototype: { consume?: unknown } }).prototype.consume;

  it('names oidc-provider models without a consume(), and Tessera’s own records', () => {
    const providerModels = [...NEVER_CONSUMED_MODELS].filter((name) => typeof models[name] === 'function');
    expect([...NEVER_CONSUMED_MODELS].filter((name) => !providerModels.includes(name))).toEqual(['SessionActivity', 'SessionCompany', 'GrantCompany']);
    for (const name of providerModels) expect([name, typeof consumeOf(name)]).toEqual([name, 'undefined']);
  });

  it('leaves out every model oidc-provider consumes', () => {
    const consumed = ['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PushedAuthorizationRequest'];
    for (const name of consumed) {
      expect([name, typeof consumeOf(name)]).toEqual([name, 'function']);
      expect(NEVER_CONSUMED_MODELS.has(name)).toBe(false);
    }
  });
});
