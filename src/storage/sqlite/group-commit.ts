import type { DatabaseSync } from 'node:sqlite';

/** The most work items one transaction carries; the rest wait for the next flush, so one flush stays short. */
export const MAX_BATCH = 256;

/** The most event-loop turns an eager write waits for others to join its batch: bounds the latency gathering adds. */
export const MAX_GATHERING_TURNS = 4;

/** A write that was rolled back because something else in its batch failed; `cause` says what. */
export class BatchRolledBackError extends Error {
  constructor(cause: unknown) {
    super('the SQLite transaction holding this write was rolled back', { cause });
    this.name = 'BatchRolledBackError';
  }
}

/** The database was closed before this write could run. */
export class DatabaseClosedError extends Error {
  constructor() {
    super('the SQLite database is closed');
    this.name = 'DatabaseClosedError';
  }
}

interface QueuedWork {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit for one SQLite connection: writes queued during the same few event-loop turns share one
 * `BEGIN IMMEDIATE … COMMIT`. A commit costs far more than the statement it carries (an upsert alone ≈ 18 µs, inside a
 * transaction of 50 ≈ 3.5 µs), and concurrent token requests each write their tokens. Writes that may wait (audit
 * events) gather over a few milliseconds into commits of their own (enqueueWithin).
 *
 * node:sqlite is synchronous and a flush runs start to finish in one callback, so nothing interleaves with the batch,
 * and other code's own transactions (`inTransaction`) always run between flushes, never inside one.
 *
 * Durability is unchanged: each caller's promise settles only after COMMIT returned (or failed).
 *
 * A work item must make at most ONE write statement (reads are fine) and must not open a transaction. Then a failing
 * item needs no SAVEPOINT: SQLite undoes the failed statement alone and the batch carries on; the caller gets its own
 * error. (A savepoint per item measured ≈ 1 µs extra, a quarter of a batched write, for no gain under this rule.)
 * A few errors (disk full, I/O) make SQLite roll back the whole transaction: the items already run are then rejected
 * with BatchRolledBackError and those not yet run go to the next flush. A failing BEGIN or COMMIT rejects the batch.
 */
export class GroupCommit {
  /** Writes a caller is waiting on: flushed once a turn adds none (schedule). */
  private queue: QueuedWork[] = [];
  /** Writes that may wait (enqueueWithin): flushed at the earliest deadline they carry, in commits of their own. */
  private deferredQueue: QueuedWork[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private deferred: NodeJS.Timeout | undefined;
  private deferredDeadline = 0;
  private batches = 0;

  constructor(
    private readonly db: DatabaseSync,
    private readonly maxBatch = MAX_BATCH,
  ) {}

  /** Runs `work` inside the next batch transaction; resolves with its result once that transaction committed. */
  enqueue<T>(work: () => T): Promise<T> {
    return this.push(this.queue, work, () => this.schedule());
  }

  /**
   * Like enqueue, but the batch may wait up to `withinMs` for more company: for writes nobody is waiting on to
   * answer a request (audit events are mostly written after the response), so that under load many share a commit
   * instead of each paying its own. They go in commits of their own, never along with eager writes: a commit costs
   * per page it changes, so the audit table's pages riding along with every token write made each of those commits
   * dearer, while at their deadline they share one commit with everything deferred meanwhile.
   */
  enqueueWithin<T>(withinMs: number, work: () => T): Promise<T> {
    return this.push(this.deferredQueue, work, () => this.scheduleDeferred(withinMs));
  }

  /**
   * enqueueWithin for a caller that does not wait for the commit (a token's audit event): no promise is made, since
   * each promise costs a token request its share of oidc-provider's async-context hooks. `onFailure` hears of a
   * write that failed or did not last; a success is silent.
   */
  deferWithin(withinMs: number, work: () => unknown, onFailure: (error: unknown) => void): void {
    if (!this.db.isOpen) return onFailure(new DatabaseClosedError());
    this.deferredQueue.push({ work, resolve: ignoreResult, reject: onFailure });
    this.scheduleDeferred(withinMs);
  }

  /**
   * Which batch is running (or ran last). Work items of one batch run inside one write transaction, with no other
   * connection able to write, so what one item read may be trusted by the next item of the same batch.
   */
  get currentBatch(): number {
    return this.batches;
  }

  /** Commits everything queued, now (before the database closes). */
  flushNow(): void {
    this.cancelScheduled();
    this.drain(this.queue);
    this.drain(this.deferredQueue);
  }

  private push<T>(queue: QueuedWork[], work: () => T, schedule: () => void): Promise<T> {
    if (!this.db.isOpen) return Promise.reject(new DatabaseClosedError());
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      schedule();
    });
  }

  /**
   * Flushes the eager queue at the end of the first event-loop turn that added nothing to it, or after
   * MAX_GATHERING_TURNS. Alone, a write leaves at the end of the turn it was queued in, as with a single setImmediate.
   * Under concurrency, requests come in cohorts (those whose bytes arrived in one poll phase), and waiting while each
   * turn brings more lets the next cohort share the commit: batches of ≈ 10 tokens instead of ≈ 5 at 10 connections,
   * and the commit is most of a token's cost on this store (bench/ROUNDS.md, sixteenth round).
   */
  private schedule(): void {
    if (this.scheduled) return;
    let queuedBefore = this.queue.length;
    let turns = 0;
    const flushOrGather = () => {
      turns += 1;
      const gathering = this.queue.length > queuedBefore && turns < MAX_GATHERING_TURNS && this.queue.length < this.maxBatch;
      if (gathering) {
        queuedBefore = this.queue.length;
        this.scheduled = setImmediate(flushOrGather);
        return;
      }
      this.scheduled = undefined;
      this.runBatch(this.queue);
      if (this.queue.length > 0) this.schedule();
    };
    this.scheduled = setImmediate(flushOrGather);
  }

  private scheduleDeferred(withinMs: number): void {
    const deadline = performance.now() + withinMs;
    // The batch leaves at the earliest deadline of what it carries: a short wait is never stretched by a long one.
    if (this.deferred && this.deferredDeadline <= deadline) return;
    if (this.deferred) clearTimeout(this.deferred);
    this.deferredDeadline = deadline;
    // Not unref'd: a short-lived process (the CLI) awaiting its audit append must stay alive until it commits.
    this.deferred = setTimeout(() => {
      this.deferred = undefined;
      this.drain(this.deferredQueue);
    }, withinMs);
  }

  private drain(queue: QueuedWork[]): void {
    while (queue.length > 0) this.runBatch(queue);
  }

  private cancelScheduled(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    if (this.deferred) clearTimeout(this.deferred);
    this.scheduled = undefined;
    this.deferred = undefined;
  }

  private runBatch(queue: QueuedWork[]): void {
    const batch = queue.splice(0, this.maxBatch);
    this.batches += 1;
    if (!this.db.isOpen) return rejectAll(batch, new DatabaseClosedError());
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      return rejectAll(batch, error);
    }
    const outcomes: Outcome[] = [];
    for (const [index, item] of batch.entries()) {
      try {
        outcomes.push({ ok: true, value: item.work() });
      } catch (error) {
        outcomes.push({ ok: false, error });
        if (!this.db.isTransaction) {
          // SQLite rolled the whole transaction back: the writes run so far are gone, the rest have not run yet.
          queue.unshift(...batch.slice(index + 1));
          return settle(batch.slice(0, index + 1), outcomes, new BatchRolledBackError(error));
        }
      }
    }
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      // A failed COMMIT (a deferred constraint, I/O) may leave the transaction open: undo it so nothing half-done stays.
      // Should ROLLBACK fail too, the next BEGIN fails and reports it to its own callers.
      try {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
      } catch {}
      return settle(batch, outcomes, new BatchRolledBackError(error));
    }
    settle(batch, outcomes);
  }
}

/** Each item gets its own error if it failed; otherwise its result, or `rolledBack` when its write did not last. */
function settle(batch: QueuedWork[], outcomes: Outcome[], rolledBack?: BatchRolledBackError): void {
  for (const [index, item] of batch.entries()) {
    const outcome = outcomes[index]!;
    if (!outcome.ok) item.reject(outcome.error);
    else if (rolledBack) item.reject(rolledBack);
    else item.resolve(outcome.value);
  }
}

function ignoreResult(): void {}

function rejectAll(batch: QueuedWork[], error: unknown): void {
  for (const item of batch) item.reject(error);
}

const groupCommits = new WeakMap<DatabaseSync, GroupCommit>();

/** The one GroupCommit of `db`, shared by every store on it, so the writes of one request share a commit. */
export function groupCommitOf(db: DatabaseSync): GroupCommit {
  let groupCommit = groupCommits.get(db);
  if (!groupCommit) {
    groupCommit = new GroupCommit(db);
    groupCommits.set(db, groupCommit);
  }
  return groupCommit;
}
