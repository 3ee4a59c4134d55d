import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  ArtifactReencryptionCheckpoints,
  fieldContext,
  FieldEncryption,
  FieldReencryption,
  keyIdOf,
  parseFieldKeys,
  rotateFieldKeys,
  type FieldKey,
} from '../../src/crypto/index.js';
import { capturedLogger } from './support/captured-logger.js';
import { InMemoryArtifactStore } from './support/in-memory-artifact-store.js';
import { InMemoryProtectedFields } from './support/in-memory-protected-fields.js';

const key = (id: string): FieldKey => ({ id, key: randomBytes(32) });

/** Fields of every kind under `oldKey`, plus names and secrets stored in clear before encryption existed. */
function storeUnder(oldKey: FieldKey, accounts: number) {
  const fields = new InMemoryProtectedFields();
  const old = new FieldEncryption([oldKey]);
  const plaintexts = new Map<string, string>();
  for (let index = 0; index < accounts; index += 1) {
    const id = `acct-${String(index).padStart(3, '0')}`;
    const name = `Person ${index}`;
    plaintexts.set(`account.name/${id}`, name);
    // Every third name predates encryption.
    fields.set('account.name', id, index % 3 === 0 ? name : old.encrypt(name, fieldContext('account.name', id)));
    if (index % 2 === 0) {
      const secret = `TOTPSECRET${index}`;
      plaintexts.set(`account.totpSecret/${id}`, secret);
      fields.set('account.totpSecret', id, old.encrypt(secret, fieldContext('account.totpSecret', id)));
    }
  }
  for (const clientId of ['svc', 'web']) {
    const secret = `secret-of-${clientId}`;
    plaintexts.set(`client.secret/${clientId}`, secret);
    // The service client's secret predates encryption.
    const stored = clientId === 'svc' ? secret : old.encrypt(secret, fieldContext('client.secret', clientId));
    fields.set('client.secret', clientId, stored);
  }
  return { fields, plaintexts };
}

interface JobOptions {
  batchSize?: number;
  pause?: () => Promise<void>;
}

function job(fields: InMemoryProtectedFields, encryption: FieldEncryption, options: JobOptions = {}) {
  const log = capturedLogger('info');
  const checkpoints = new ArtifactReencryptionCheckpoints(new InMemoryArtifactStore());
  const reencryption = new FieldReencryption(fields, encryption, checkpoints, {
    log: log.logger,
    batchSize: options.batchSize ?? 4,
    pauseBetweenBatches: options.pause ?? (async () => undefined),
  });
  return { reencryption, checkpoints, log };
}

describe('field re-encryption', () => {
  it('moves every field, old-key and plaintext alike, to the current key without changing what it says', async () => {
    const [oldKey, newKey] = [key('k1'), key('k2')];
    const { fields, plaintexts } = storeUnder(oldKey, 10);
    const encryption = new FieldEncryption([newKey, oldKey]);
    const { reencryption, log } = job(fields, encryption);

    const report = await reencryption.runToCompletion();

    expect(report).toMatchObject({ keyId: 'k2', scanned: 17, rewritten: 17, alreadyCurrent: 0, failed: 0 });
    expect(report.complete).toBe(true);
    for (const [where, plaintext] of plaintexts) {
      const [kind, owner] = where.split('/') as [Parameters<typeof fieldContext>[0], string];
      const stored = fields.get(kind, owner)!;
      expect(keyIdOf(stored)).toBe('k2');
      // Only the new key is needed to read it now.
      expect(new FieldEncryption([newKey]).decrypt(stored, fieldContext(kind, owner))).toBe(plaintext);
    }
    expect(await reencryption.keyUsage()).toEqual({
      'account.name': { k2: 10 },
      'account.totpSecret': { k2: 5 },
      'client.secret': { k2: 2 },
    });
    // Progress is logged as counts and owners; no plaintext and no stored value ever reaches the log.
    expect(log.lines().some((line) => line.msg === 'field re-encryption complete')).toBe(true);
    for (const plaintext of plaintexts.values()) expect(log.raw()).not.toContain(plaintext);
    expect(log.raw()).not.toMatch(/v1\.k[12]\./);
  });

  it('counts current fields without rewriting them, so a second pass writes nothing', async () => {
    const [oldKey, newKey] = [key('k1'), key('k2')];
    const { fields } = storeUnder(oldKey, 6);
    const { reencryption } = job(fields, new FieldEncryption([newKey, oldKey]));
    await reencryption.runToCompletion();
    const before = JSON.stringify([...fields.values.entries()].map(([kind, map]) => [kind, [...map]]));

    const again = await reencryption.runToCompletion();

    expect(again).toMatchObject({ rewritten: 0, alreadyCurrent: again.scanned, complete: true });
    expect(JSON.stringify([...fields.values.entries()].map(([kind, map]) => [kind, [...map]]))).toBe(before);
  });

  it('never overwrites a value that changed between its read and its rewrite', async () => {
    const [oldKey, newKey] = [key('k1'), key('k2')];
    const { fields } = storeUnder(oldKey, 3);
    const encryption = new FieldEncryption([newKey, oldKey]);
    const written = encryption.encrypt('Renamed Meanwhile', fieldContext('account.name', 'acct-001'));
    fields.beforeReplace = (kind, owner) => {
      if (kind === 'account.name' && owner === 'acct-001') fields.set(kind, owner, written);
    };
    const { reencryption } = job(fields, encryption);

    const report = await reencryption.runToCompletion();

    expect(report.changedMeanwhile).toBe(1);
    expect(fields.get('account.name', 'acct-001')).toBe(written);
  });

  it('skips and reports a field no configured key can read, logging its owner and reason only', async () => {
    const { fields } = storeUnder(key('lost'), 2);
    const { reencryption, log } = job(fields, new FieldEncryption([key('k2')]));

    const report = await reencryption.runToCompletion();

    // acct-000's name and svc's secret were plaintext, so they could be encrypted; the rest needs the lost key.
    expect(report).toMatchObject({ rewritten: 2, failed: 3, complete: true });
    const warnings = log.lines().filter((line) => line.msg === 'field cannot be re-encrypted');
    expect(warnings.map((line) => [line.kind, line.owner, line.reason, line.keyId])).toContainEqual([
      'account.name',
      'acct-001',
      'unknown_key',
      'lost',
    ]);
    expect((await reencryption.keyUsage())['account.name']).toEqual({ k2: 1, lost: 1 });
  });

  it('resumes an interrupted background pass from its checkpoint instead of starting over', async () => {
    const [oldKey, newKey] = [key('k1'), key('k2')];
    const { fields } = storeUnder(oldKey, 10);
    const encryption = new FieldEncryption([newKey, oldKey]);
    let batches = 0;
    let stopRequested: Promise<void> | undefined;
    const first = job(fields, encryption, {
      batchSize: 3,
      // Shut down while the second batch is done: the pass ends there, its place kept.
      pause: async () => {
        batches += 1;
        if (batches === 2) stopRequested = first.reencryption.stop();
      },
    });
    first.reencryption.startInBackground();
    await new Promise((resolve) => setImmediate(resolve));
    await stopRequested;
    await first.reencryption.stop();
    const checkpoint = await first.checkpoints.load('k2');
    expect(checkpoint).toEqual({ keyId: 'k2', kind: 'account.name', after: 'acct-005', done: false });
    expect(fields.get('account.name', 'acct-006')).not.toMatch(/^v1\.k2\./);

    // A new process with the same checkpoint store continues after acct-005.
    const resumed = new FieldReencryption(fields, encryption, first.checkpoints, {
      log: capturedLogger('info').logger,
      batchSize: 3,
      pauseBetweenBatches: async () => undefined,
    });
    fields.pagesRead = 0;
    resumed.startInBackground();
    await resumed.idle();
    // Pages of 3: names acct-006..009 (2 pages), 5 TOTP secrets (2), 2 client secrets (1). From the start: 7.
    expect(fields.pagesRead).toBe(5);
    const usage = await resumed.keyUsage();
    expect(usage).toEqual({ 'account.name': { k2: 10 }, 'account.totpSecret': { k2: 5 }, 'client.secret': { k2: 2 } });
    expect(await first.checkpoints.load('k2')).toMatchObject({ done: true });

    // Once done, a restart does not scan again.
    fields.pagesRead = 0;
    resumed.startInBackground();
    await resumed.idle();
    expect(fields.pagesRead).toBe(0);
  });
});

describe('field re-encryption after a store failure', () => {
  it('logs the failure and resumes from its checkpoint once the store answers again', async () => {
    const [oldKey, newKey] = [key('k1'), key('k2')];
    const { fields } = storeUnder(oldKey, 6);
    const page = fields.page.bind(fields);
    let outage = true;
    fields.page = async (kind, after, limit) => {
      if (outage && kind === 'account.totpSecret') throw new Error('store unavailable');
      return page(kind, after, limit);
    };
    const log = capturedLogger('info');
    const checkpoints = new ArtifactReencryptionCheckpoints(new InMemoryArtifactStore());
    const reencryption = new FieldReencryption(fields, new FieldEncryption([newKey, oldKey]), checkpoints, {
      log: log.logger,
      batchSize: 4,
      pauseBetweenBatches: async () => undefined,
      retryAfterMs: 0,
    });

    reencryption.startInBackground();
    await reencryption.idle();
    expect(log.lines().find((line) => line.level === 40)).toMatchObject({ retryAfterMs: 0 });
    // The names were done before the failure; the checkpoint says so.
    expect(await checkpoints.load('k2')).toMatchObject({ kind: 'account.totpSecret', after: null, done: false });

    outage = false;
    // The retry is a zero-delay timer set before this one, so it has started by the time this one fires.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await reencryption.idle();
    expect(await checkpoints.load('k2')).toMatchObject({ done: true });
    expect(await reencryption.keyUsage()).toEqual({
      'account.name': { k2: 6 },
      'account.totpSecret': { k2: 3 },
      'client.secret': { k2: 2 },
    });
    await reencryption.stop();
  });
});

describe('field key rotation', () => {
  it('puts a new key first and keeps the old ones for reading', () => {
    const configured = [key('k1'), key('dev')];
    const rotation = rotateFieldKeys(configured);
    const parsed = parseFieldKeys(rotation.setting);
    expect(rotation.currentKeyId).toBe('k2');
    expect(parsed.map((entry) => entry.id)).toEqual(['k2', 'k1', 'dev']);
    expect(parsed[1]!.key.equals(configured[0]!.key)).toBe(true);
    expect(rotation.previousKeyIds).toEqual(['k1', 'dev']);
    expect(rotateFieldKeys([key('dev')]).currentKeyId).toBe('k1');
    // The rollout setting for several instances knows the same new key but keeps the old one current.
    const readable = parseFieldKeys(rotation.readableSetting);
    expect(readable.map((entry) => entry.id)).toEqual(['k1', 'dev', 'k2']);
    expect(readable[2]!.key.equals(parsed[0]!.key)).toBe(true);
  });
});
