import type { OidcArtifactStore } from '../storage/ports.js';
import { PROTECTED_FIELD_KINDS, type ProtectedFieldKind } from '../storage/protected-fields.js';

/** Where a re-encryption to one key stands: resume at `kind` after `after`, or nothing left when `done`. */
export interface ReencryptionCheckpoint {
  keyId: string;
  kind: ProtectedFieldKind;
  after: string | null;
  done: boolean;
}

export interface ReencryptionCheckpoints {
  load(keyId: string): Promise<ReencryptionCheckpoint | null>;
  save(checkpoint: ReencryptionCheckpoint): Promise<void>;
}

const MODEL = 'FieldReencryption';
/** Long enough to outlive any pause between restarts; a lost checkpoint costs one more (read-mostly) pass. */
const CHECKPOINT_TTL_SECONDS = 90 * 24 * 3600;

/**
 * Checkpoints kept in the artifact store (Redis or SQLite), one per key id, shared by every instance: a restarted
 * or a second instance continues where the last one got to instead of starting over.
 */
export class ArtifactReencryptionCheckpoints implements ReencryptionCheckpoints {
  constructor(private readonly artifacts: OidcArtifactStore) {}

  async load(keyId: string): Promise<ReencryptionCheckpoint | null> {
    const stored = await this.artifacts.find(MODEL, keyId);
    if (!stored) return null;
    const kind = stored.kind as ProtectedFieldKind;
    // A checkpoint from a version with other kinds is ignored rather than trusted: the pass starts over.
    if (!PROTECTED_FIELD_KINDS.includes(kind)) return null;
    const after = typeof stored.after === 'string' ? stored.after : null;
    return { keyId, kind, after, done: stored.done === true };
  }

  async save(checkpoint: ReencryptionCheckpoint): Promise<void> {
    await this.artifacts.upsert(MODEL, checkpoint.keyId, { ...checkpoint }, CHECKPOINT_TTL_SECONDS);
  }
}
