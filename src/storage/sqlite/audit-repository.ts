import type { DatabaseSync } from 'node:sqlite';
import type { AuditQuery, AuditRecord, AuditRepository, NewAuditRecord } from '../ports.js';
import { prepared } from './database.js';
import { key } from './directory.js';
import { groupCommitOf, type GroupCommit } from './group-commit.js';

type Row = Record<string, string | number | null>;

/**
 * How long an append may wait for others to share its commit: an append a request waits on (sign-in, admin changes)
 * at most 2 ms longer; one nobody waits on (appendLater: token issue, refresh, revocation) up to 20 ms, so that under
 * load dozens share a commit (an append alone costs ≈ 80 µs of CPU, in a batch of 128 ≈ 8 µs).
 */
const APPEND_BATCH_WINDOW_MS = 2;
const BACKGROUND_APPEND_BATCH_WINDOW_MS = 20;

interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The heads of the chains appended to in the running batch, per connection (every repository on it shares them).
 * Within one batch (one write transaction, which no other connection can interleave with) the head appended last is
 * the chain's head, so the batch's later appends skip the SELECT; a new batch reads from the table again, since
 * another process (the CLI) may have appended in between.
 */
const batchHeads = new WeakMap<DatabaseSync, { batch: number; byChain: Map<string, ChainHead> }>();

function headsInBatch(db: DatabaseSync, batch: number): Map<string, ChainHead> {
  let heads = batchHeads.get(db);
  if (heads?.batch !== batch) {
    heads = { batch, byChain: new Map() };
    batchHeads.set(db, heads);
  }
  return heads.byChain;
}

/** The first link of every chain points at this. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The audit trail in the embedded file. Triggers refuse UPDATE and DELETE, so the application cannot rewrite
 * history; someone with the file can, and the hash chain is what shows it.
 */
export class SqliteAuditRepository implements AuditRepository {
  private readonly writes: GroupCommit;

  constructor(private readonly db: DatabaseSync) {
    this.writes = groupCommitOf(db);
  }

  /**
   * Reads the chain's head and inserts the next link inside one group-commit transaction (one write statement: if the
   * insert fails, nothing was written). The batch's IMMEDIATE lock keeps out other processes (the CLI), and earlier
   * appends of the same batch are visible to later ones, so several appends to one chain in a batch still chain.
   */
  append(record: NewAuditRecord, link: (prevHash: string, seq: number) => string): Promise<AuditRecord> {
    return this.writes.enqueueWithin(APPEND_BATCH_WINDOW_MS, () => this.insertLink(record, link));
  }

  appendLater(record: NewAuditRecord, link: (prevHash: string, seq: number) => string, onFailure: (error: unknown) => void): void {
    this.writes.deferWithin(BACKGROUND_APPEND_BATCH_WINDOW_MS, () => this.insertLink(record, link), onFailure);
  }

  /** Runs inside a batch transaction. */
  private insertLink(record: NewAuditRecord, link: (prevHash: string, seq: number) => string): AuditRecord {
    const heads = headsInBatch(this.db, this.writes.currentBatch);
    const last = heads.get(record.chain) ?? this.lastLink(record.chain);
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const stored: AuditRecord = { ...record, seq, prevHash, hash: link(prevHash, seq) };
    prepared(
      this.db,
      `INSERT INTO audit_events (chain, seq, at, type, actor, subject, resource, ip, user_agent, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      stored.chain,
      seq,
      stored.at.getTime(),
      stored.type,
      stored.actor,
      stored.subject,
      stored.resource,
      stored.ip,
      stored.userAgent,
      JSON.stringify(stored.details),
      prevHash,
      stored.hash,
    );
    // Only once the INSERT succeeded: a failed append leaves the head where it was.
    heads.set(stored.chain, { seq, hash: stored.hash });
    return stored;
  }

  private lastLink(chain: string): ChainHead | undefined {
    return prepared(this.db, 'SELECT seq, hash FROM audit_events WHERE chain = ? ORDER BY seq DESC LIMIT 1').get(chain) as
      | ChainHead
      | undefined;
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const conditions = ['chain = :chain', 'seq < :before'];
    const params: Record<string, string | number> = {
      chain: key(query.chain),
      before: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      limit: query.limit,
    };
    if (query.subject !== undefined) {
      conditions.push('subject = :subject');
      params.subject = key(query.subject);
    }
    if (query.resource !== undefined) {
      conditions.push('resource = :resource');
      params.resource = key(query.resource);
    }
    // At most four shapes of this query exist (with or without subject and resource), each compiled once.
    const rows = prepared(this.db, `SELECT * FROM audit_events WHERE ${conditions.join(' AND ')} ORDER BY seq DESC LIMIT :limit`).all(
      params,
    ) as Row[];
    return rows.map(toRecord);
  }

  async *scan(chain: string): AsyncIterable<AuditRecord> {
    const statement = this.db.prepare('SELECT * FROM audit_events WHERE chain = ? ORDER BY seq ASC');
    for (const row of statement.iterate(key(chain)) as Iterable<Row>) yield toRecord(row);
  }
}

function toRecord(row: Row): AuditRecord {
  const text = (value: string | number | null | undefined) => (value == null ? null : String(value));
  return {
    chain: String(row.chain),
    seq: Number(row.seq),
    at: new Date(Number(row.at)),
    type: String(row.type),
    actor: text(row.actor),
    subject: text(row.subject),
    resource: text(row.resource),
    ip: text(row.ip),
    userAgent: text(row.user_agent),
    details: JSON.parse(String(row.details)) as Record<string, unknown>,
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}
