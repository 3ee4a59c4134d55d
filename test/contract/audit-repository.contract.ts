import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AuditRepository, NewAuditRecord } from '../../src/storage/ports.js';
import { until } from '../support/until.js';

export interface AuditHarness {
  audit: AuditRepository;
  close(): Promise<void>;
}

const event = (chain: string, overrides: Partial<NewAuditRecord> = {}): NewAuditRecord => ({
  chain,
  at: new Date(Math.floor(Date.now() / 1000) * 1000),
  type: 'login.succeeded',
  actor: 'acct-1',
  subject: 'acct-1',
  resource: null,
  ip: '203.0.113.7',
  userAgent: 'Test/1.0',
  details: { factor: 'pwd', nested: { a: 1 } },
  ...overrides,
});

/** The behaviour every AuditRepository adapter must show: atomic chaining, newest-first queries, full scans. */
export function describeAuditRepositoryContract(adapter: string, open: () => Promise<AuditHarness>): void {
  describe(`AuditRepository contract: ${adapter}`, () => {
    let audit: AuditRepository;
    const opened: AuditHarness[] = [];
    const link = (prevHash: string, seq: number) => `${prevHash.slice(0, 8)}-${seq}`;

    beforeEach(async () => {
      const harness = await open();
      opened.push(harness);
      audit = harness.audit;
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
    });

    it('numbers each chain from 1 and links every event to the one before', async () => {
      const chain = randomUUID();
      const first = await audit.append(event(chain), link);
      const second = await audit.append(event(chain, { type: 'login.failed' }), link);
      expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), hash: '00000000-1' });
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash, hash: `${first.hash.slice(0, 8)}-2` });
      const other = await audit.append(event(randomUUID()), link);
      expect(other.seq).toBe(1);
    });

    it('never forks a chain under twenty concurrent appends', async () => {
      const chain = randomUUID();
      await Promise.all(Array.from({ length: 20 }, () => audit.append(event(chain), link)));
      const scanned = [];
      for await (const record of audit.scan(chain)) scanned.push(record);
      expect(scanned.map((record) => record.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (let i = 1; i < scanned.length; i += 1) expect(scanned[i]!.prevHash).toBe(scanned[i - 1]!.hash);
    });

    it('stores an event appended without waiting in the same chain, and reports one that could not be stored', async () => {
      const chain = randomUUID();
      const first = await audit.append(event(chain), link);
      const failures: unknown[] = [];
      audit.appendLater(event(chain, { type: 'token.issued' }), link, (error) => failures.push(error));
      const unlinkable = () => {
        throw new Error('no link for this one');
      };
      audit.appendLater(event(chain, { type: 'token.refreshed' }), unlinkable, (error) => failures.push(error));
      await until(async () => failures.length === 1 && (await audit.query({ chain, limit: 10 })).length === 2);
      expect(String(failures[0])).toMatch(/no link for this one/);
      const stored = await audit.query({ chain, limit: 10 });
      expect(stored.map((record) => [record.seq, record.type])).toEqual([
        [2, 'token.issued'],
        [1, 'login.succeeded'],
      ]);
      expect(stored[0]!.prevHash).toBe(first.hash);
    });

    it('queries newest first, by subject or resource, with a cursor', async () => {
      const chain = randomUUID();
      for (let i = 0; i < 5; i += 1) {
        await audit.append(event(chain, { subject: i % 2 ? 'odd' : 'even', resource: i === 3 ? 'device:dev_123' : null }), link);
      }
      const all = await audit.query({ chain, limit: 10 });
      expect(all.map((record) => record.seq)).toEqual([5, 4, 3, 2, 1]);
      expect(all[0]).toMatchObject({ chain, type: 'login.succeeded', details: { factor: 'pwd', nested: { a: 1 } } });
      expect((await audit.query({ chain, subject: 'odd', limit: 10 })).map((record) => record.seq)).toEqual([4, 2]);
      expect((await audit.query({ chain, resource: 'device:dev_123', limit: 10 })).map((record) => record.seq)).toEqual([4]);
      expect((await audit.query({ chain, limit: 2, beforeSeq: 4 })).map((record) => record.seq)).toEqual([3, 2]);
      expect(await audit.query({ chain, subject: { $ne: null } as unknown as string, limit: 10 })).toEqual([]);
    });
  });
}
