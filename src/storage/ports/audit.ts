/** The audit trail: append-only, hash-chained per company. */

/** One stored audit event, a link in its company's hash chain. */
export interface AuditRecord {
  /** The chain: a company id, or 'platform' for events outside any company. */
  chain: string;
  /** Position in the chain, from 1. */
  seq: number;
  at: Date;
  type: string;
  actor: string | null;
  subject: string | null;
  /** What the event concerns besides the subject (a client, a device, a session). */
  resource: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type NewAuditRecord = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

export interface AuditQuery {
  chain: string;
  subject?: string;
  resource?: string;
  /** Only events with a smaller seq (cursor pagination, newest first). */
  beforeSeq?: number;
  limit: number;
}

/** Append-only: there is no update or delete. */
export interface AuditRepository {
  /**
   * Appends to the event's chain atomically: reads the chain's last link and stores the new one with the next
   * seq and `link(prevHash, seq)` as its hash, so concurrent appends can never fork the chain.
   */
  append(record: NewAuditRecord, link: (prevHash: string, seq: number) => string): Promise<AuditRecord>;
  /**
   * The same append for a caller that does not wait (written after the response): an adapter may hold it a little
   * longer so that many share one write, and need not make a promise for it. It is stored in order and chained like
   * any other; `onFailure` hears of an append that failed or did not last.
   */
  appendLater(record: NewAuditRecord, link: (prevHash: string, seq: number) => string, onFailure: (error: unknown) => void): void;
  /** Newest first. */
  query(query: AuditQuery): Promise<AuditRecord[]>;
  /** Oldest first, for verification. */
  scan(chain: string): AsyncIterable<AuditRecord>;
}
