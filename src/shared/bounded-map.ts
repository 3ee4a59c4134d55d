/**
 * A Map that keeps at most `capacity` entries, for small hot-path memos where an unbounded Map would let many
 * distinct keys grow the process without limit. When full, it drops an entry not read since it last came round
 * ("second chance", the CLOCK approximation of least-recently-used).
 *
 * Why not exact LRU (delete and re-insert on every read): each delete and insert fills a V8 Map's hash table, which
 * then moves to a new one and leaves the old one pointing at it. Once a memo's table has reached the old generation,
 * that old, dead table keeps every successor alive through each scavenge, so a memo read on every request promoted
 * about 50 bytes per request until the next full collection (≈ 0.75 MB/s of old-generation garbage in the JWKS
 * benchmark, and a 70 ms mark-compact every minute or so; bench/ROUNDS.md, seventeenth round). Here a read only sets
 * a flag on the entry; the table changes on inserts alone.
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, { value: V; readSinceRound: boolean }>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    entry.readSinceRound = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.value = value;
      entry.readSinceRound = true;
      return;
    }
    if (this.entries.size >= this.capacity) this.evictOne();
    this.entries.set(key, { value, readSinceRound: false });
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Oldest first: an entry read since it was last passed over moves to the back with its flag cleared, the first one
   * that was not goes. Ends within `capacity + 1` steps: a moved entry is visited again with its flag cleared.
   */
  private evictOne(): void {
    for (const [key, entry] of this.entries) {
      this.entries.delete(key);
      if (!entry.readSinceRound) return;
      entry.readSinceRound = false;
      this.entries.set(key, entry);
    }
  }
}
