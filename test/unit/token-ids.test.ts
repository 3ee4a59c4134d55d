import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import Provider from 'oidc-provider';
import { generatedForAnotherModel, shapeTokenIds, timePrefix } from '../../src/oidc/token-ids.js';

type WithGeneratedId = { generateTokenId(): string };

describe('token ids', () => {
  // A bare provider warns about its quick-start defaults (keys, adapter, interactions): none of them is used here.
  beforeAll(() => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  const shapedProvider = (now: () => number) => {
    const provider = new Provider('http://localhost:3000', {});
    shapeTokenIds(provider, now);
    return provider;
  };
  const idOf = (token: unknown) => (token as WithGeneratedId).generateTokenId();

  it('writes later times so that they sort after earlier ones as text, in base64url', () => {
    const today = Date.UTC(2026, 11, 2);
    const times = [0, 1, 63, 64, 65, 4095, 4096, today, today + 1, Date.UTC(2109, 0, 1)];
    const prefixes = times.map(timePrefix);
    expect([...prefixes].sort()).toEqual(prefixes);
    expect(new Set(prefixes).size).toBe(times.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[\w-]{7}$/);
  });

  it("writes kind, then time, then oidc-provider's random part at its full length", () => {
    let now = Date.UTC(2026, 11, 2, 12);
    const provider = shapedProvider(() => now);
    const first = idOf(new provider.ClientCredentials({ clientId: 'client' } as never));
    now += 1;
    const second = idOf(new provider.ClientCredentials({ clientId: 'client' } as never));
    // 256 bits of randomness (43 characters) after the marker and the 7-character time.
    expect(first).toMatch(/^cc_[\w-]{50}$/);
    expect(first.slice(3, 10)).toBe(timePrefix(Date.UTC(2026, 11, 2, 12)));
    expect(second > first).toBe(true);
    expect(first.slice(10)).not.toBe(second.slice(10));
    const refreshToken = new provider.RefreshToken({ clientId: 'client', accountId: 'a', grantId: 'g' } as never);
    expect(idOf(refreshToken)).toMatch(/^rt_/);
    expect(idOf(new provider.Grant({ clientId: 'client', accountId: 'a' }))).toMatch(/^gr_/);
  });

  it('tells ids of another model apart, and never claims to know an id it did not shape', () => {
    const provider = shapedProvider(Date.now);
    const clientCredentials = idOf(new provider.ClientCredentials({ clientId: 'client' } as never));
    expect(generatedForAnotherModel('AccessToken', clientCredentials)).toBe(true);
    expect(generatedForAnotherModel('RefreshToken', clientCredentials)).toBe(true);
    expect(generatedForAnotherModel('ClientCredentials', clientCredentials)).toBe(false);
    // Ids issued before the marker (43 random characters, which may well start with `at_`), and other values.
    expect(generatedForAnotherModel('ClientCredentials', `at_${'x'.repeat(40)}`)).toBe(false);
    expect(generatedForAnotherModel('ClientCredentials', `at_${'x'.repeat(49)}`)).toBe(false);
    expect(generatedForAnotherModel('ClientCredentials', 'not-a-token')).toBe(false);
    expect(generatedForAnotherModel('Session', clientCredentials)).toBe(true);
  });

  it('refuses to start when oidc-provider no longer generates ids the way it wraps', () => {
    const provider = new Provider('http://localhost:3000', {});
    const model = provider.RefreshToken as unknown as { prototype: Record<string, unknown> };
    Object.defineProperty(model.prototype, 'generateTokenId', { value: undefined });
    expect(() => shapeTokenIds(provider)).toThrow(/RefreshToken model no longer generates its ids/);
  });
});
