import {
  PROTECTED_FIELD_KINDS,
  type ProtectedField,
  type ProtectedFieldKind,
  type ProtectedFieldStore,
} from '../storage/protected-fields.js';
import { fieldContext } from './field-contexts.js';
import { DecryptionError, keyIdOf, type FieldEncryption } from './field-encryption.js';
import type { ReencryptionCheckpoint, ReencryptionCheckpoints } from './reencryption-checkpoints.js';
import type { OperationalLog } from '../shared/operational-log.js';

/** What a pass did. Counts only: never a value, never a key. */
export interface ReencryptionReport {
  keyId: string;
  /** Fields looked at in this pass. */
  scanned: number;
  /** Moved to the current key (or, for a field stored before encryption, encrypted for the first time). */
  rewritten: number;
  alreadyCurrent: number;
  /** Changed by someone else between read and write; that writer used the current key, so nothing is lost. */
  changedMeanwhile: number;
  /** Cannot be decrypted with any configured key; logged with owner and reason. */
  failed: number;
  /** False when the pass was stopped (shutdown) before the last field. */
  complete: boolean;
}

/** Stored fields per kind, by the key id they are encrypted under ('plaintext' for values stored in clear). */
export type KeyUsage = Record<ProtectedFieldKind, Record<string, number>>;

export interface FieldReencryptionOptions {
  log: OperationalLog;
  /** Fields read and rewritten per store round trip. */
  batchSize?: number;
  /** Awaited between batches of a background pass, so requests being served keep the upper hand. */
  pauseBetweenBatches?: () => Promise<void>;
  /** How long a background pass stopped by a failure (a store outage) waits before it resumes from its checkpoint. */
  retryAfterMs?: number;
}

export const PLAINTEXT = 'plaintext';
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_PAUSE_MS = 25;
const DEFAULT_RETRY_AFTER_MS = 60_000;

type Outcome = 'rewritten' | 'alreadyCurrent' | 'changedMeanwhile' | 'failed';

/**
 * Rewrites every protected field under the current key, a batch at a time, after a key rotation (and, once, after
 * upgrading from a version that stored names and client secrets in clear). Safe beside a serving server: each
 * field is replaced only if it still holds the value that was read (compare-and-set), so a concurrent change is
 * never overwritten. Resumable: after each batch a checkpoint records where the pass stands, and the next run for
 * the same key continues from it.
 */
export class FieldReencryption {
  private readonly batchSize: number;
  private readonly pause: () => Promise<void>;
  private running: Promise<ReencryptionReport> | null = null;
  private retry: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    private readonly fields: ProtectedFieldStore,
    private readonly encryption: FieldEncryption,
    private readonly checkpoints: ReencryptionCheckpoints,
    private readonly options: FieldReencryptionOptions,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.pause = options.pauseBetweenBatches ?? (() => new Promise((resolve) => setTimeout(resolve, DEFAULT_PAUSE_MS)));
  }

  /**
   * Continues the current key's pass in the background, or does nothing when it is already complete. A failure
   * (a store outage) is logged, not thrown, and the pass resumes from its checkpoint a while later.
   */
  startInBackground(): void {
    if (this.running || this.stopping) return;
    const run = (async () => {
      const checkpoint = await this.checkpoints.load(this.encryption.currentKeyId);
      if (checkpoint?.done) return this.emptyReport(true);
      return this.pass(checkpoint, this.pause);
    })();
    this.running = run;
    run
      .catch((error: unknown) => {
        const retryAfterMs = this.options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
        this.options.log.warn({ err: error, retryAfterMs }, 'field re-encryption failed; it resumes later');
        // Unreferenced: a pending retry never keeps a process alive that has nothing else to do.
        this.retry = setTimeout(() => this.startInBackground(), retryAfterMs).unref();
      })
      .finally(() => {
        if (this.running === run) this.running = null;
      });
  }

  /**
   * A pass over every field from the first, without pauses (for the CLI). Starting from the first rather than the
   * checkpoint also catches values another instance wrote under an old key while the key change was rolled out.
   */
  async runToCompletion(log: OperationalLog = this.options.log): Promise<ReencryptionReport> {
    await this.running?.catch(() => undefined);
    const run = this.pass(null, async () => undefined, log);
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = null;
    }
  }

  /** Resolves when the pass running now, if any, has ended (or stopped at a checkpoint). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** Ends a pass after its batch in flight (for shutdown); the checkpoint keeps its place. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    await this.running?.catch(() => undefined);
  }

  /** Reads every protected field and counts them by key: an old key may be dropped once nothing uses it. */
  async keyUsage(): Promise<KeyUsage> {
    const usage = Object.fromEntries(PROTECTED_FIELD_KINDS.map((kind) => [kind, {}])) as KeyUsage;
    for (const kind of PROTECTED_FIELD_KINDS) {
      await this.forEachPage(kind, null, async (fields) => {
        for (const { value } of fields) {
          const keyId = keyIdOf(value) ?? PLAINTEXT;
          usage[kind][keyId] = (usage[kind][keyId] ?? 0) + 1;
        }
      });
    }
    return usage;
  }

  private async pass(
    start: ReencryptionCheckpoint | null,
    pause: () => Promise<void>,
    log: OperationalLog = this.options.log,
  ): Promise<ReencryptionReport> {
    const report = this.emptyReport(false);
    const { keyId } = report;
    const firstKind = start ? PROTECTED_FIELD_KINDS.indexOf(start.kind) : 0;
    const resumeAt = start ? { kind: start.kind, after: start.after } : null;
    log.info({ keyId, resumeAt }, 'field re-encryption started');
    for (let index = firstKind; index < PROTECTED_FIELD_KINDS.length; index += 1) {
      const kind = PROTECTED_FIELD_KINDS[index]!;
      const nextKind = PROTECTED_FIELD_KINDS[index + 1];
      const after = index === firstKind ? (start?.after ?? null) : null;
      const finished = await this.forEachPage(kind, after, async (fields, next) => {
        for (const field of fields) {
          report.scanned += 1;
          report[await this.rewrite(kind, field, log)] += 1;
        }
        const checkpoint: ReencryptionCheckpoint =
          next !== null
            ? { keyId, kind, after: next, done: false }
            : { keyId, kind: nextKind ?? kind, after: null, done: nextKind === undefined };
        await this.checkpoints.save(checkpoint);
        log.info({ ...report, kind, after: next }, 'field re-encryption progress');
        if (next !== null) await pause();
        return !this.stopping;
      });
      if (!finished) {
        log.info({ ...report }, 'field re-encryption paused; it resumes at the next start');
        return report;
      }
    }
    report.complete = true;
    log.info({ ...report }, 'field re-encryption complete');
    return report;
  }

  /**
   * Walks one kind page by page; `visit` returns false to stop early. True when the last page was visited.
   */
  private async forEachPage(
    kind: ProtectedFieldKind,
    after: string | null,
    visit: (fields: ProtectedField[], next: string | null) => Promise<boolean | void>,
  ): Promise<boolean> {
    let cursor = after;
    do {
      const page = await this.fields.page(kind, cursor, this.batchSize);
      if ((await visit(page.fields, page.next)) === false) return false;
      cursor = page.next;
    } while (cursor !== null);
    return true;
  }

  private async rewrite(
    kind: ProtectedFieldKind,
    { owner, value }: ProtectedField,
    log: OperationalLog,
  ): Promise<Outcome> {
    if (!this.encryption.needsReencryption(value)) return 'alreadyCurrent';
    const context = fieldContext(kind, owner);
    let plaintext: string;
    try {
      // TOTP secrets were encrypted from the start: one that is not is damage, not a legacy plaintext.
      plaintext =
        kind === 'account.totpSecret'
          ? this.encryption.decrypt(value, context)
          : this.encryption.decryptOrLegacy(value, context);
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      log.warn({ kind, owner, reason: error.reason, keyId: keyIdOf(value) }, 'field cannot be re-encrypted');
      return 'failed';
    }
    const replaced = await this.fields.replace(kind, owner, value, this.encryption.encrypt(plaintext, context));
    return replaced ? 'rewritten' : 'changedMeanwhile';
  }

  private emptyReport(complete: boolean): ReencryptionReport {
    const keyId = this.encryption.currentKeyId;
    return { keyId, scanned: 0, rewritten: 0, alreadyCurrent: 0, changedMeanwhile: 0, failed: 0, complete };
  }
}
