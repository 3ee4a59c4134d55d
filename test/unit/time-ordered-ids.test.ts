import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import Provider from 'oidc-provider';
import { timeOrderTokenIds, timePrefix } from '../../src/oidc/time-ordered-ids.js';

describe('time-ordered token ids', () => {
  // A bare provider warns about its quick-start defaults (keys, adapter, interactions): none of them is used here.
  beforeAll(() => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  it('writes later times so that they sort after earlier ones as text, in base64url', () => {
    const today = Date.UTC(2026, 11, 2);
    const times = [0, 1, 63, 64, 65, 4095, 4096, today, today + 1, Date.UTC(2109, 0, 1)];
    const prefixes = times.map(timePrefix);
    expect([...prefixes].sort()).toEqual(prefixes);
    expect(new Set(prefixes).size).toBe(times.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[\w-]{7}$/);
  });

  it("puts the prefix ahead of oidc-provider's random part, which keeps its full length", () => {
    const provider = new Provider('http://localhost:3000', {});
    let now = Date.UTC(2026, 11, 2, 12);
    timeOrderTokenIds(provider, () => now);
    type WithGeneratedId = { generateTokenId(): string };
    const issue = () => {
      const token = new provider.ClientCredentials({ clientId: 'client' } as never) as unknown as WithGeneratedId;
      return token.generateTokenId();
    };
    const first = issue();
    now += 1;
    const second = issue();
    // 256 bits of randomness (43 characters) after the 7-character time, as before.
    expect(first).toMatch(/^[\w-]{50}$/);
    expect(first.slice(0, 7)).toBe(timePrefix(Date.UTC(2026, 11, 2, 12)));
    expect(second > first).toBe(true);
    expect(first.slice(7)).not.toBe(second.slice(7));
  });

  it('refuses to start when oidc-provider no longer generates ids the way it wraps', () => {
    const provider = new Provider('http://localhost:3000', {});
    const model = provider.RefreshToken as unknown as { prototype: Record<string, unknown> };
    Object.defineProperty(model.prototype, 'generateTokenId', { value: undefined });
    expect(() => timeOrderTokenIds(provider)).toThrow(/RefreshToken model no longer generates its ids/);
  });
});
