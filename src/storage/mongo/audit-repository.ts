import mongoose, { type Model } from 'mongoose';
import { DependencyUnavailableError } from '../../shared/errors.js';
import type { AuditQuery, AuditRecord, AuditRepository, NewAuditRecord } from '../ports.js';
import { isDuplicateKey, mongoCall, toDomainError } from './errors.js';
import { lookupKey } from './lookup-key.js';
import type { AuditDocument } from './models.js';

/** The first link of every chain points at this, in every adapter. */
const GENESIS_HASH = '0'.repeat(64);

/**
 * Appends that lose the race for the next seq try again; each loss means another append got through, so this
 * only runs out under a burst far beyond what sign-ins produce. Then the caller is told to retry later.
 */
const MAX_APPEND_ATTEMPTS = 50;

/**
 * The audit trail in MongoDB, one document per event. Nothing here updates or deletes; for the database itself
 * to refuse it, give Tessera's MongoDB user only `find` and `insert` on `audit_events` (docs/production.md).
 */
export class MongoAuditRepository implements AuditRepository {
  constructor(private readonly events: Model<AuditDocument>) {}

  /**
   * Reads the chain's last link, then inserts the next one. The unique (chain, seq) index makes the insert a
   * compare-and-set: of two concurrent appends that read the same last link, one inserts and the other gets a
   * duplicate key, reads again and links after the winner. So a chain never forks and never skips a number,
   * with one single-document write per event and no transaction. The last link may be read before a majority
   * has it: ours is acknowledged only once a majority has ours, and members apply writes in order, so by then the
   * link it builds on cannot be rolled back either.
   */
  append(record: NewAuditRecord, link: (prevHash: string, seq: number) => string): Promise<AuditRecord> {
    return mongoCall(async () => {
      for (let attempt = 1; ; attempt += 1) {
        const last = await this.events
          .findOne({ chain: lookupKey(record.chain) })
          .sort({ seq: -1 })
          .select({ seq: 1, hash: 1 })
          .lean<Pick<AuditDocument, 'seq' | 'hash'>>();
        const seq = (last?.seq ?? 0) + 1;
        const prevHash = last?.hash ?? GENESIS_HASH;
        const stored: AuditRecord = { ...record, seq, prevHash, hash: link(prevHash, seq) };
        try {
          await this.events.create(toDocument(stored));
          return stored;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          if (attempt === MAX_APPEND_ATTEMPTS) throw new DependencyUnavailableError('mongodb', { cause: error });
        }
      }
    });
  }

  appendLater(record: NewAuditRecord, link: (prevHash: string, seq: number) => string, onFailure: (error: unknown) => void): void {
    this.append(record, link).catch(onFailure);
  }

  query(query: AuditQuery): Promise<AuditRecord[]> {
    const filter = {
      chain: lookupKey(query.chain),
      // The adapter's own operator, so marked trusted for sanitizeFilter (see connection.ts).
      ...(query.beforeSeq !== undefined && { seq: mongoose.trusted({ $lt: Number(query.beforeSeq) }) }),
      ...(query.subject !== undefined && { subject: lookupKey(query.subject) }),
      ...(query.resource !== undefined && { resource: lookupKey(query.resource) }),
    };
    return mongoCall(async () => {
      const docs = await this.events.find(filter).sort({ seq: -1 }).limit(query.limit).lean<AuditDocument[]>();
      return docs.map(toRecord);
    });
  }

  /** Streams the chain oldest first, so verifying a long chain never holds it all in memory. */
  async *scan(chain: string): AsyncIterable<AuditRecord> {
    const cursor = this.events.find({ chain: lookupKey(chain) }).sort({ seq: 1 }).lean<AuditDocument[]>().cursor();
    try {
      for await (const doc of cursor) yield toRecord(doc);
    } catch (error) {
      throw toDomainError(error);
    } finally {
      // Frees the server-side cursor when the reader stops early.
      await cursor.close().catch(() => {});
    }
  }
}

function toDocument(record: AuditRecord): AuditDocument {
  return {
    chain: record.chain,
    seq: record.seq,
    at: record.at,
    type: record.type,
    actor: record.actor,
    subject: record.subject,
    resource: record.resource,
    ip: record.ip,
    userAgent: record.userAgent,
    details: JSON.stringify(record.details),
    prevHash: record.prevHash,
    hash: record.hash,
  };
}

/** Field by field from the lean document: no `_id`, and the details parsed back. */
function toRecord(doc: AuditDocument): AuditRecord {
  return {
    chain: doc.chain,
    seq: doc.seq,
    at: doc.at,
    type: doc.type,
    actor: doc.actor ?? null,
    subject: doc.subject ?? null,
    resource: doc.resource ?? null,
    ip: doc.ip ?? null,
    userAgent: doc.userAgent ?? null,
    details: JSON.parse(doc.details) as Record<string, unknown>,
    prevHash: doc.prevHash,
    hash: doc.hash,
  };
}
