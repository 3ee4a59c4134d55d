import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Stores } from '../../src/storage/ports.js';

export type AccountRemovalStores = Pick<Stores, 'tenants' | 'accounts' | 'memberships' | 'groups' | 'accountDeletions'>;

export interface AccountRemovalHarness {
  stores: AccountRemovalStores;
  close(): Promise<void>;
}

const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/**
 * What account deletion and access removal need from every adapter: a deletion schedule whose claims never hand
 * one account to two purgers, and removals of memberships, group members and group roles that stay inside the
 * named company.
 */
export function describeAccountRemovalContract(adapter: string, open: () => Promise<AccountRemovalHarness>): void {
  describe(`account removal contract: ${adapter}`, () => {
    let stores: AccountRemovalStores;
    let companyA: string;
    let companyB: string;
    let accountId: string;
    const opened: AccountRemovalHarness[] = [];

    beforeEach(async () => {
      const harness = await open();
      opened.push(harness);
      stores = harness.stores;
      companyA = await newCompany();
      companyB = await newCompany();
      accountId = await newAccount();
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
    });

    async function newCompany(): Promise<string> {
      const id = randomUUID();
      await stores.tenants.create({ id, slug: `t-${id.slice(0, 8)}`, name: 'Co', mfaRequired: false, createdAt: at(Date.now()) });
      return id;
    }

    async function newAccount(): Promise<string> {
      const id = randomUUID();
      const now = at(Date.now());
      await stores.accounts.create({
        id,
        email: `${id}@example.com`,
        name: null,
        passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
        mfa: null,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
      return id;
    }

    const deletion = (id: string, purgeAfter: Date) => ({ accountId: id, requestedAt: at(Date.now()), purgeAfter, purgedAt: null });

    it('keeps the first schedule when a deletion is requested again', async () => {
      const first = deletion(accountId, at(Date.now() + 60_000));
      expect(await stores.accountDeletions.schedule(first)).toEqual(first);
      expect(await stores.accountDeletions.schedule(deletion(accountId, at(Date.now() + 999_000)))).toEqual(first);
      expect(await stores.accountDeletions.find(accountId)).toEqual(first);
      expect(await stores.accountDeletions.find(randomUUID())).toBeNull();
    });

    it('claims only due, unpurged deletions, each for one caller while the lease lives', async () => {
      const now = Date.now();
      const due = [accountId, await newAccount(), await newAccount()];
      for (const id of due) await stores.accountDeletions.schedule(deletion(id, at(now - 1000)));
      const later = await newAccount();
      await stores.accountDeletions.schedule(deletion(later, at(now + 3_600_000)));

      const claims = await Promise.all([1, 2, 3, 4].map(() => stores.accountDeletions.claimDue(new Date(now), 300, 10)));
      const claimed = claims.flat().filter((id) => [...due, later].includes(id));
      expect(claimed.sort()).toEqual([...due].sort());

      // The lease expired (a purger died): the claims come back; a purged one never does.
      await stores.accountDeletions.markPurged(due[0]!, new Date(now));
      const again = await stores.accountDeletions.claimDue(new Date(now + 301_000), 300, 100);
      expect(again).toEqual(expect.arrayContaining([due[1], due[2]]));
      expect(again).not.toContain(due[0]);
      expect(again).not.toContain(later);
      expect((await stores.accountDeletions.find(due[0]!))!.purgedAt).toEqual(new Date(now));
    });

    it('removes a membership and lists direct holders of a role, inside the company only', async () => {
      const createdAt = at(Date.now());
      await stores.memberships.put({ tenantId: companyA, accountId, roles: ['viewer', 'admin'], createdAt });
      await stores.memberships.put({ tenantId: companyB, accountId, roles: ['viewer'], createdAt });
      expect((await stores.memberships.listByRole(companyA, 'admin')).map((each) => each.accountId)).toEqual([accountId]);
      expect(await stores.memberships.listByRole(companyB, 'admin')).toEqual([]);
      expect(await stores.memberships.listByRole(companyA, 'vie')).toEqual([]);

      expect(await stores.memberships.remove(companyA, accountId)).toBe(true);
      expect(await stores.memberships.remove(companyA, accountId)).toBe(false);
      expect((await stores.memberships.listForAccount(accountId)).map((each) => each.tenantId)).toEqual([companyB]);
    });

    it('takes members and roles out of a group only through its own company', async () => {
      const groupId = randomUUID();
      await stores.groups.create({ id: groupId, tenantId: companyA, name: 'ops', memberIds: [accountId], roleNames: ['viewer'], createdAt: at(Date.now()) });
      expect(await stores.groups.removeMember(companyB, groupId, accountId)).toBe(false);
      expect(await stores.groups.removeRole(companyB, groupId, 'viewer')).toBe(false);
      expect(await stores.groups.findByName(companyA, 'ops')).toMatchObject({ memberIds: [accountId], roleNames: ['viewer'] });

      expect(await stores.groups.removeMember(companyA, groupId, accountId)).toBe(true);
      expect(await stores.groups.removeRole(companyA, groupId, 'viewer')).toBe(true);
      expect(await stores.groups.removeRole(companyA, groupId, 'viewer')).toBe(false);
      expect(await stores.groups.findByName(companyA, 'ops')).toMatchObject({ memberIds: [], roleNames: [] });
    });
  });
}
