import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { AccountRecord, Stores } from '../../src/storage/ports.js';
import type { ProtectedField, ProtectedFieldKind } from '../../src/storage/protected-fields.js';

export interface ProtectedFieldsHarness {
  stores: Pick<Stores, 'accounts' | 'clients' | 'protectedFields'>;
  close(): Promise<void>;
}

const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/**
 * What key rotation relies on in every adapter: paging through each kind of protected field in owner order, passing
 * over records without it, and a compare-and-set replace that touches that one field only. Records are written
 * through the raw adapter repositories (no encryption here: the adapters never interpret the values). Other tests
 * may share the database, so every check looks at this run's owners only.
 */
export function describeProtectedFieldsContract(adapter: string, open: () => Promise<ProtectedFieldsHarness>): void {
  describe(`protected fields contract: ${adapter}`, () => {
    let stores: ProtectedFieldsHarness['stores'];
    const opened: ProtectedFieldsHarness[] = [];
    let run: string;

    beforeEach(async () => {
      const harness = await open();
      opened.push(harness);
      stores = harness.stores;
      run = randomUUID().slice(0, 8);
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
    });

    const account = (suffix: string, name: string | null, totpSecret?: string): AccountRecord => ({
      id: `${run}-${suffix}`,
      email: `${run}-${suffix}@example.com`,
      name,
      passwordHash: '$argon2id$stub',
      mfa: totpSecret ? { totpSecret, recoveryCodeHashes: ['h1', 'h2'], enrolledAt: at(Date.now()) } : null,
      disabled: false,
      createdAt: at(Date.now()),
      updatedAt: at(Date.now()),
    });
    const client = (suffix: string, secret?: string) => ({
      clientId: `${run}-${suffix}`,
      tenantId: null,
      metadata: {
        client_id: `${run}-${suffix}`,
        redirect_uris: ['https://rp.example/cb'],
        ...(secret ? { client_secret: secret } : {}),
      },
      createdAt: at(Date.now()),
    });

    /** Every field of a kind, page by page, as key rotation walks them; only this run's owners. */
    async function walk(kind: ProtectedFieldKind, limit: number): Promise<ProtectedField[]> {
      const seen: ProtectedField[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page = await stores.protectedFields.page(kind, after, limit);
        expect(page.fields.length).toBeLessThanOrEqual(limit);
        seen.push(...page.fields);
        after = page.next;
        pages += 1;
        expect(pages).toBeLessThan(10_000);
      } while (after !== null);
      const owners = seen.map((field) => field.owner);
      expect([...owners].sort()).toEqual(owners);
      return seen.filter((field) => field.owner.startsWith(`${run}-`));
    }

    it('pages through names, TOTP and client secrets in owner order, passing over records without one', async () => {
      await stores.accounts.create(account('c', 'Carol', 'totp-c'));
      await stores.accounts.create(account('a', 'Alice'));
      await stores.accounts.create(account('b', null, 'totp-b'));
      await stores.accounts.create(account('d', 'Dan'));
      for (const suffix of ['p1', 'p2', 'p3']) await stores.clients.create(client(suffix));
      await stores.clients.create(client('s1', 'secret-1'));
      await stores.clients.create(client('z9', 'secret-9'));

      for (const limit of [1, 2, 100]) {
        expect(await walk('account.name', limit)).toEqual([
          { owner: `${run}-a`, value: 'Alice' },
          { owner: `${run}-c`, value: 'Carol' },
          { owner: `${run}-d`, value: 'Dan' },
        ]);
        expect(await walk('account.totpSecret', limit)).toEqual([
          { owner: `${run}-b`, value: 'totp-b' },
          { owner: `${run}-c`, value: 'totp-c' },
        ]);
        expect(await walk('client.secret', limit)).toEqual([
          { owner: `${run}-s1`, value: 'secret-1' },
          { owner: `${run}-z9`, value: 'secret-9' },
        ]);
      }
    });

    it('replaces one field only while it still holds the expected value, and nothing else of the record', async () => {
      await stores.accounts.create(account('a', 'Alice', 'totp-a'));
      await stores.clients.create(client('s1', 'secret-1'));
      const accountId = `${run}-a`;
      const clientId = `${run}-s1`;

      expect(await stores.protectedFields.replace('account.name', accountId, 'Alice', 'sealed-name')).toBe(true);
      expect(await stores.protectedFields.replace('account.totpSecret', accountId, 'totp-a', 'sealed-totp')).toBe(true);
      expect(await stores.protectedFields.replace('client.secret', clientId, 'secret-1', 'sealed-secret')).toBe(true);

      const stored = await stores.accounts.findById(accountId);
      expect(stored).toMatchObject({ email: `${accountId}@example.com`, name: 'sealed-name', disabled: false });
      expect(stored?.mfa).toMatchObject({ totpSecret: 'sealed-totp', recoveryCodeHashes: ['h1', 'h2'] });
      expect((await stores.clients.find(clientId))?.metadata).toEqual({
        client_id: clientId,
        redirect_uris: ['https://rp.example/cb'],
        client_secret: 'sealed-secret',
      });

      // A value that changed since it was read, a record that is gone, a field the record lacks: nothing written.
      expect(await stores.protectedFields.replace('account.name', accountId, 'Alice', 'stale')).toBe(false);
      expect(await stores.protectedFields.replace('client.secret', clientId, 'secret-1', 'stale')).toBe(false);
      expect(await stores.protectedFields.replace('account.name', `${run}-missing`, 'Alice', 'stale')).toBe(false);
      await stores.clients.create(client('p1'));
      expect(await stores.protectedFields.replace('client.secret', `${run}-p1`, 'secret-1', 'stale')).toBe(false);
      expect((await stores.accounts.findById(accountId))?.name).toBe('sealed-name');
      expect((await stores.clients.find(`${run}-p1`))?.metadata.client_secret).toBeUndefined();
    });
  });
}
