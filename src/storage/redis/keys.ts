/**
 * Every Redis key Tessera uses, in one place. With the default prefix:
 *
 *   tessera:artifact:<Model>:<id>        string: [consumed epoch ms ":"] JSON            TTL = the artifact's
 *   tessera:uid:<Model>:<uid>            string → id                                     TTL ≥ the artifact's
 *   tessera:usercode:<Model>:<userCode>  string → id                                     TTL ≥ the artifact's
 *   tessera:grant:<Model>:<grantId>      sorted set: id scored by its expiry (epoch ms)  TTL ≥ its longest member
 *   tessera:account:<Model>:<accountId>  sorted set: id scored by its expiry (epoch ms)  TTL ≥ its longest member
 *   tessera:failures:<key>               hash { count, last }                            TTL from the latest failure
 *   tessera:hits:<key>                   integer                                         TTL = the window
 *   tessera:claim:<key>                  "1"                                             TTL = the claim
 *
 * Model names are identifiers without colons, so the segment after the model is the id, whatever it contains.
 *
 * Redis Cluster and hash tags: there are none, on purpose. Every command and every Lua script touches exactly
 * one key, so each runs on the node that owns that key and no CROSSSLOT error can arise. Atomic writes across an
 * artifact and its indexes would need them all in one slot, but an index is found by a value (a uid, a user code,
 * a grant or account id) that does not know the artifact's id, so they cannot share the artifact's tag; the only
 * tag they could all share is a constant one, which would put the whole data set on a single node. Instead,
 * artifact-store.ts keeps the indexes honest by order and verification: indexes are written before the artifact
 * and outlive it, and every index hit is checked against the artifact it points to. If a future script must touch
 * several keys, give them a common tag such as `tessera:{grant:<id>}:…` and route them all through it.
 */
export const DEFAULT_KEY_PREFIX = 'tessera:';

export class RedisKeys {
  constructor(readonly prefix: string = DEFAULT_KEY_PREFIX) {}

  artifact(model: string, id: string): string {
    return `${this.prefix}artifact:${model}:${id}`;
  }

  uid(model: string, uid: string): string {
    return `${this.prefix}uid:${model}:${uid}`;
  }

  userCode(model: string, userCode: string): string {
    return `${this.prefix}usercode:${model}:${userCode}`;
  }

  grant(model: string, grantId: string): string {
    return `${this.prefix}grant:${model}:${grantId}`;
  }

  account(model: string, accountId: string): string {
    return `${this.prefix}account:${model}:${accountId}`;
  }

  failures(key: string): string {
    return `${this.prefix}failures:${key}`;
  }

  hits(key: string): string {
    return `${this.prefix}hits:${key}`;
  }

  claim(key: string): string {
    return `${this.prefix}claim:${key}`;
  }
}
