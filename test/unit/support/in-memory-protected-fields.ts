import type {
  ProtectedFieldKind,
  ProtectedFieldPage,
  ProtectedFieldStore,
} from '../../../src/storage/protected-fields.js';

/**
 * An in-memory ProtectedFieldStore: one sorted map of owner → stored value per kind, with the adapters' paging
 * (owner order, `next` null on the last page) and compare-and-set replace. `beforeReplace` lets a test change a
 * value between the read and the write, as a concurrent request would.
 */
export class InMemoryProtectedFields implements ProtectedFieldStore {
  readonly values = new Map<ProtectedFieldKind, Map<string, string>>();
  beforeReplace: (kind: ProtectedFieldKind, owner: string) => void = () => {};
  pagesRead = 0;

  set(kind: ProtectedFieldKind, owner: string, value: string): void {
    if (!this.values.has(kind)) this.values.set(kind, new Map());
    this.values.get(kind)!.set(owner, value);
  }

  get(kind: ProtectedFieldKind, owner: string): string | undefined {
    return this.values.get(kind)?.get(owner);
  }

  async page(kind: ProtectedFieldKind, after: string | null, limit: number): Promise<ProtectedFieldPage> {
    this.pagesRead += 1;
    const owners = [...(this.values.get(kind)?.keys() ?? [])].sort().filter((owner) => after === null || owner > after);
    const fields = owners.slice(0, limit).map((owner) => ({ owner, value: this.get(kind, owner)! }));
    return { fields, next: fields.length < limit ? null : fields.at(-1)!.owner };
  }

  async replace(kind: ProtectedFieldKind, owner: string, expected: string, next: string): Promise<boolean> {
    this.beforeReplace(kind, owner);
    if (this.get(kind, owner) !== expected) return false;
    this.set(kind, owner, next);
    return true;
  }
}
