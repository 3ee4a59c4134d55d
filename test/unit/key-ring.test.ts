import { describe, expect, it } from '@jest/globals';
import { generateSigningKey, generateSigningKeySet } from '../../src/crypto/index.js';
import { keySetAt, type RingKey } from '../../src/oidc/key-ring.js';

const HOUR = 3_600_000;
const kids = (keys: Array<Record<string, unknown>>) => keys.map((key) => key.kid);

/** The key set at given moments (time is a parameter here, never waited for). */
describe('keySetAt', () => {
  const base = generateSigningKeySet().keys;
  const [baseRs, baseEs, baseEd] = base;
  const rotatedAt = 10 * HOUR;
  const lead = HOUR;
  const retention = 2 * HOUR;
  const newEs: RingKey = { jwk: generateSigningKey('ES256'), alg: 'ES256', activeFrom: rotatedAt + lead };

  it('signs with the base keys until a rotation', () => {
    const set = keySetAt(base, [], rotatedAt, retention);
    expect(kids(set.keys)).toEqual(kids([baseEs!, baseRs!, baseEd!]));
    expect(set.nextChangeAt).toBeNull();
  });

  it('publishes a new key at once but lists it after the key in force, so it does not sign yet', () => {
    const set = keySetAt(base, [newEs], rotatedAt, retention);
    expect(kids(set.keys)).toEqual(kids([baseEs!, baseRs!, baseEd!, newEs.jwk]));
    expect(set.nextChangeAt).toBe(rotatedAt + lead);
  });

  it('signs with the new key from its activation and keeps the old one published for the retention', () => {
    const set = keySetAt(base, [newEs], rotatedAt + lead, retention);
    expect(kids(set.keys)).toEqual(kids([newEs.jwk, baseRs!, baseEd!, baseEs!]));
    expect(set.nextChangeAt).toBe(rotatedAt + lead + retention);
  });

  it('drops the retired key once every token it signed has expired, and tells which stored keys to delete', () => {
    const second: RingKey = { jwk: generateSigningKey('ES256'), alg: 'ES256', activeFrom: rotatedAt + 5 * HOUR };
    const justBefore = keySetAt(base, [newEs, second], rotatedAt + lead + retention - 1, retention);
    expect(kids(justBefore.keys)).toContain(baseEs!.kid);
    const after = keySetAt(base, [newEs, second], rotatedAt + 5 * HOUR + retention, retention);
    expect(kids(after.keys)).toEqual(kids([second.jwk, baseRs!, baseEd!]));
    // The base key lives in configuration, so only the rotated one is for the store to delete.
    expect(after.expiredKids).toEqual([newEs.jwk.kid]);
  });

  it('keeps keys of algorithms it does not rotate', () => {
    const ps256: Record<string, unknown> = { ...generateSigningKey('RS256'), alg: 'PS256' };
    expect(kids(keySetAt([...base, ps256], [newEs], rotatedAt, retention).keys)).toContain(ps256.kid);
  });
});
