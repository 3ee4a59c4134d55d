import { BoundedMap } from '../shared/bounded-map.js';
import type { RegistryVersion } from '../storage/ports.js';

/** Clients and resource servers a deployment has at most in active use before older ones are read again. */
const DEFAULT_CAPACITY = 10_000;

/**
 * What the provider derives from a registry record (a client's provider metadata, a resource server), kept while the
 * registry's version stays the same. Every token request looks up its client, and a resource server when it names
 * one; reading, parsing and decrypting the same rows each time was the largest cost Tessera added to a token (≈ 55 µs
 * per JWT client_credentials request, bench/ROUNDS.md). Any change to the registry, by this process or another (the
 * CLI, a second instance on the same file), changes the version: a rotated secret or a deleted client applies at this
 * process's next request, or once the version is read again (storage/sqlite/registry-version.ts) for another's.
 * Without a version (the registry in MongoDB) every lookup reads the store.
 *
 * Values are frozen: they are handed to more than one request, and a caller changing one would change it for all.
 * oidc-provider (patched, patches/README.md) also relies on it: it finds the Client it made from a frozen metadata
 * object by the object's identity, so handing back the same object while nothing changed saves it a hash per request.
 * Misses (an unknown id) are not kept, so ids made up by a caller cannot push real entries out.
 */
export class RegistryMemo<T extends object> {
  private readonly entries: BoundedMap<string, { version: number; value: T }>;

  constructor(
    private readonly version: RegistryVersion | undefined,
    capacity = DEFAULT_CAPACITY,
  ) {
    this.entries = new BoundedMap(capacity);
  }

  /** The kept value for `key` when the registry has not changed since it was read; synchronous, for the hot path. */
  fresh(key: string): T | undefined {
    if (!this.version) return undefined;
    const known = this.entries.get(key);
    return known && known.version === this.version.current() ? known.value : undefined;
  }

  /** Reads through `load` and keeps what it finds (frozen); a miss (null) is returned, not kept. */
  async load(key: string, load: () => Promise<T | null | undefined>): Promise<T | null | undefined> {
    if (!this.version) return load();
    // Read before loading: a change made while the load runs leaves this entry with the older version, so the next
    // lookup reads again rather than trusting what may be the record before the change.
    const version = this.version.current();
    const value = await load();
    if (value) this.entries.set(key, { version, value: deepFreeze(value) });
    return value;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
