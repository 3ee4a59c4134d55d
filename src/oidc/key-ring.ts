import { canSignWith, SIGNING_ALGORITHMS } from '../crypto/index.js';
import type { JwtSigningAlgorithm } from '../storage/ports.js';

type Jwk = Record<string, unknown>;

/** A key added by rotation: published from the moment it is stored, signing from `activeFrom` (epoch ms). */
export interface RingKey {
  jwk: Jwk;
  alg: JwtSigningAlgorithm;
  activeFrom: number;
}

export interface KeySet {
  /**
   * Private JWKs for oidc-provider, in the order it must see them: oidc-provider signs with the first key that fits
   * an algorithm, so the key in force for each algorithm comes first, then keys waiting for their turn, then retired
   * keys that only verify.
   */
  keys: Jwk[];
  /** Rotated keys whose retirement outlived every token they could have signed: remove them from the store. */
  expiredKids: string[];
  /** The next moment the set changes by time alone (a key starts signing or leaves), epoch ms. */
  nextChangeAt: number | null;
}

/**
 * The key set in force at `now`. Per algorithm the keys form generations: the base keys (configured, or generated
 * on first start) are generation zero, each rotated key a later one. The newest generation whose time has come
 * signs; newer ones are published but wait (so every cached JWKS holds them before a token needs them); older
 * ones stay published for `retentionMs` after their successor took over, which is the longest any token they
 * signed lives, and then leave the set.
 */
export function keySetAt(baseKeys: Jwk[], rotated: RingKey[], now: number, retentionMs: number): KeySet {
  const active: Jwk[] = [];
  const waiting: Jwk[] = [];
  const retired: Jwk[] = [];
  const expiredKids: string[] = [];
  const changes: number[] = [];
  // Keys for algorithms outside rotation (say a PS256 key in a configured set) stay as they were.
  const unmanaged = baseKeys.filter((jwk) => !SIGNING_ALGORITHMS.some((alg) => canSignWith(jwk, alg)));

  for (const alg of SIGNING_ALGORITHMS) {
    const generations = [
      { keys: baseKeys.filter((jwk) => canSignWith(jwk, alg)), activeFrom: 0, rotatedKid: null as string | null },
      ...rotated
        .filter((key) => key.alg === alg)
        .sort((a, b) => a.activeFrom - b.activeFrom)
        .map((key) => ({ keys: [key.jwk], activeFrom: key.activeFrom, rotatedKid: String(key.jwk.kid) })),
    ].filter((generation) => generation.keys.length > 0);
    const current = generations.findLastIndex((generation) => generation.activeFrom <= now);
    generations.forEach((generation, index) => {
      if (index === current) {
        active.push(...generation.keys);
      } else if (index > current) {
        waiting.push(...generation.keys);
        changes.push(generation.activeFrom);
      } else {
        const publishedUntil = generations[index + 1]!.activeFrom + retentionMs;
        if (now < publishedUntil) {
          retired.push(...generation.keys);
          changes.push(publishedUntil);
        } else if (generation.rotatedKid) {
          expiredKids.push(generation.rotatedKid);
        }
      }
    });
  }
  return {
    keys: [...active, ...unmanaged, ...waiting, ...retired],
    expiredKids,
    nextChangeAt: changes.length ? Math.min(...changes) : null,
  };
}
