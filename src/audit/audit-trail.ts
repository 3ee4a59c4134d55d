import { hash } from 'node:crypto';
import type { AuditQuery, AuditRecord, AuditRepository, NewAuditRecord } from '../storage/ports.js';
import type { AuditEvent, AuditRecorder, BackgroundAuditRecorder } from './audit-event.js';

export const PLATFORM_CHAIN = 'platform';

/** Where verification found the chain broken: the first event whose stored link does not hold. */
export interface ChainBreak {
  seq: number;
  reason: 'hash-mismatch' | 'previous-hash-mismatch' | 'sequence-gap';
}

export interface VerificationResult {
  chain: string;
  events: number;
  firstBreak: ChainBreak | null;
}

/** The fields a link's hash covers, in a fixed order, so any edit to a stored event changes it. */
function linkHash(record: Omit<AuditRecord, 'hash'>): string {
  const canonical = JSON.stringify([
    record.chain,
    record.seq,
    record.at.toISOString(),
    record.type,
    record.actor,
    record.subject,
    record.resource,
    record.ip,
    record.userAgent,
    sortKeys(record.details),
    record.prevHash,
  ]);
  return hash('sha256', canonical, 'hex');
}

/** What an adapter calls once it knows where in the chain the record goes. */
function linkFor(record: NewAuditRecord): (prevHash: string, seq: number) => string {
  return (prevHash, seq) => linkHash({ ...record, seq, prevHash });
}

/**
 * The append-only, tamper-evident audit trail: one hash chain per company (and one for the platform). Each event
 * carries the hash of the one before, so editing, removing or reordering a stored event breaks every later link,
 * and `verify` names the first broken one.
 */
export class AuditTrail implements AuditRecorder, BackgroundAuditRecorder {
  constructor(
    private readonly repository: AuditRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(event: AuditEvent): Promise<void> {
    const record = this.newRecord(event);
    await this.repository.append(record, linkFor(record));
  }

  recordLater(event: AuditEvent, onFailure: (error: unknown) => void): void {
    const record = this.newRecord(event);
    this.repository.appendLater(record, linkFor(record), onFailure);
  }

  private newRecord(event: AuditEvent): NewAuditRecord {
    return {
      chain: event.tenantId ?? PLATFORM_CHAIN,
      at: this.now(),
      type: event.type,
      actor: event.actor ?? null,
      subject: event.subject ?? null,
      resource: event.resource ?? null,
      ip: event.ip ?? null,
      userAgent: event.userAgent ?? null,
      details: event.details ?? {},
    };
  }

  query(query: AuditQuery): Promise<AuditRecord[]> {
    return this.repository.query(query);
  }

  async verify(chain: string): Promise<VerificationResult> {
    let expectedSeq = 1;
    let previousHash: string | null = null;
    let events = 0;
    for await (const record of this.repository.scan(chain)) {
      events += 1;
      const broken =
        record.seq !== expectedSeq
          ? 'sequence-gap'
          : previousHash !== null && record.prevHash !== previousHash
            ? 'previous-hash-mismatch'
            : linkHash(record) !== record.hash
              ? 'hash-mismatch'
              : null;
      if (broken) return { chain, events, firstBreak: { seq: record.seq, reason: broken } };
      previousHash = record.hash;
      expectedSeq += 1;
    }
    return { chain, events, firstBreak: null };
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((name) => [name, sortKeys((value as Record<string, unknown>)[name])]),
    );
  }
  return value;
}
