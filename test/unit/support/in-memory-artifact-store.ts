import { assertConsumable, assertListedByAccount, type ConsumeResult, type OidcArtifact, type OidcArtifactStore } from '../../../src/storage/ports.js';

interface Entry {
  payload: OidcArtifact;
  /** Epoch milliseconds; null when stored with a TTL of 0 or less (never expires), as the real adapters do. */
  expiresAt: number | null;
  /** Epoch milliseconds of the first consume, null while unconsumed. */
  consumedAt: number | null;
}

/**
 * A faithful in-memory OidcArtifactStore for unit tests, on an injectable clock. Like the real adapters it
 * stores payloads serialized (so callers never share objects with it), hides expired entries at once, reports
 * `consumed` as epoch seconds, and consumes atomically: the check and the write happen in one synchronous step,
 * which in JavaScript nothing can interleave with. test/unit/in-memory-artifact-store.test.ts runs the adapters'
 * contract suite against it.
 */
export class InMemoryArtifactStore implements OidcArtifactStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async upsert(model: string, id: string, payload: OidcArtifact, expiresInSeconds: number): Promise<void> {
    const previous = this.live(model, id);
    this.entries.set(key(model, id), {
      payload: JSON.parse(JSON.stringify(payload)) as OidcArtifact,
      expiresAt: expiresInSeconds > 0 ? this.now() + expiresInSeconds * 1000 : null,
      // Replacing a payload keeps the consumed mark, as the SQL adapter's upsert does.
      consumedAt: previous?.consumedAt ?? null,
    });
  }

  async find(model: string, id: string): Promise<OidcArtifact | undefined> {
    const entry = this.live(model, id);
    return entry && view(entry);
  }

  async findByUid(model: string, uid: string): Promise<OidcArtifact | undefined> {
    return this.findWhere(model, (payload) => payload.uid === uid);
  }

  async findByUserCode(model: string, userCode: string): Promise<OidcArtifact | undefined> {
    return this.findWhere(model, (payload) => payload.userCode === userCode);
  }

  async consume(model: string, id: string): Promise<ConsumeResult> {
    assertConsumable(model);
    const entry = this.live(model, id);
    if (!entry) return 'not-found';
    if (entry.consumedAt !== null) return 'already-consumed';
    entry.consumedAt = this.now();
    return 'consumed';
  }

  async destroy(model: string, id: string): Promise<void> {
    this.entries.delete(key(model, id));
  }

  async revokeByGrantId(model: string, grantId: string): Promise<void> {
    for (const [entryKey, entry] of this.entries) {
      if (entryKey.startsWith(`${model}:`) && entry.payload.grantId === grantId) this.entries.delete(entryKey);
    }
  }

  async listByAccount(model: string, accountId: string): Promise<Array<{ id: string; payload: OidcArtifact }>> {
    assertListedByAccount(model);
    return this.liveOf(model)
      .filter(([, entry]) => entry.payload.accountId === accountId)
      .map(([id, entry]) => ({ id, payload: view(entry) }));
  }

  /** Every live entry of a model, for tests that inspect what was stored (e.g. that no raw secret was). */
  dump(model: string): Array<{ id: string; payload: OidcArtifact }> {
    return this.liveOf(model).map(([id, entry]) => ({ id, payload: view(entry) }));
  }

  private findWhere(model: string, matches: (payload: OidcArtifact) => boolean): OidcArtifact | undefined {
    const found = this.liveOf(model).find(([, entry]) => matches(entry.payload));
    return found && view(found[1]);
  }

  private live(model: string, id: string): Entry | undefined {
    const entry = this.entries.get(key(model, id));
    return entry && this.isLive(entry) ? entry : undefined;
  }

  private liveOf(model: string): Array<[id: string, entry: Entry]> {
    const prefix = `${model}:`;
    return [...this.entries]
      .filter(([entryKey, entry]) => entryKey.startsWith(prefix) && this.isLive(entry))
      .map(([entryKey, entry]) => [entryKey.slice(prefix.length), entry]);
  }

  private isLive(entry: Entry): boolean {
    return entry.expiresAt === null || entry.expiresAt > this.now();
  }
}

/** Model names are identifiers (no colon), so the first colon separates model and id. */
function key(model: string, id: string): string {
  return `${model}:${id}`;
}

function view(entry: Entry): OidcArtifact {
  const payload = JSON.parse(JSON.stringify(entry.payload)) as OidcArtifact;
  return entry.consumedAt === null ? payload : { ...payload, consumed: Math.floor(entry.consumedAt / 1000) };
}
