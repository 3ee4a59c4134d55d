import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../src/shared/errors.js';
import type { GroupRecord, RoleRecord, Stores } from '../../src/storage/ports.js';

export type AccessControlStores = Pick<Stores, 'tenants' | 'accounts' | 'roles' | 'groups'>;

export interface AccessControlHarness {
  stores: AccessControlStores;
  close(): Promise<void>;
}

const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

/** Roles and groups: every adapter keeps each company's inside that company, whatever ids a caller passes. */
export function describeAccessControlContract(adapter: string, open: () => Promise<AccessControlHarness>): void {
  describe(`roles and groups contract: ${adapter}`, () => {
    let stores: AccessControlStores;
    let companyA: string;
    let companyB: string;
    let accountId: string;
    const opened: AccessControlHarness[] = [];

    beforeEach(async () => {
      const harness = await open();
      opened.push(harness);
      stores = harness.stores;
      companyA = await newCompany();
      companyB = await newCompany();
      accountId = randomUUID();
      const now = at(Date.now());
      await stores.accounts.create({
        id: accountId,
        email: `${accountId}@example.com`,
        name: null,
        passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
        mfa: null,
        disabled: false,
        createdAt: now,
        updatedAt: now,
      });
    });
    afterAll(async () => {
      for (const each of opened) await each.close();
    });

    async function newCompany(): Promise<string> {
      const id = randomUUID();
      await stores.tenants.create({ id, slug: `t-${id.slice(0, 8)}`, name: 'Co', mfaRequired: false, createdAt: at(Date.now()) });
      return id;
    }

    const role = (tenantId: string, name: string): RoleRecord => ({
      id: randomUUID(),
      tenantId,
      name,
      permissions: [
        { scope: 'devices:read', resource: null },
        { scope: 'devices:vnc', resource: { type: 'device', id: 'dev_123' } },
      ],
      createdAt: at(Date.now()),
    });
    const group = (tenantId: string, name: string, extra: Partial<GroupRecord> = {}): GroupRecord => ({
      id: randomUUID(),
      tenantId,
      name,
      memberIds: [],
      roleNames: [],
      createdAt: at(Date.now()),
      ...extra,
    });

    it('creates roles and finds them by name within their company only', async () => {
      const viewer = role(companyA, 'viewer');
      await stores.roles.create(viewer);
      expect(await stores.roles.findByName(companyA, 'viewer')).toEqual(viewer);
      expect(await stores.roles.findByName(companyB, 'viewer')).toBeNull();
      expect(await stores.roles.list(companyA)).toEqual([viewer]);
      expect(await stores.roles.list(companyB)).toEqual([]);
    });

    it('keeps role names unique per company, not across companies', async () => {
      await stores.roles.create(role(companyA, 'admin'));
      await expect(stores.roles.create(role(companyA, 'admin'))).rejects.toBeInstanceOf(ConflictError);
      await stores.roles.create(role(companyB, 'admin'));
      expect((await stores.roles.findByName(companyB, 'admin'))?.tenantId).toBe(companyB);
    });

    it('lists roles by name inside the company, skipping unknown names and other companies', async () => {
      const a = role(companyA, 'a');
      const b = role(companyA, 'b');
      await stores.roles.create(a);
      await stores.roles.create(b);
      await stores.roles.create(role(companyB, 'c'));
      expect(await stores.roles.listByNames(companyA, ['b', 'a', 'c', 'missing'])).toEqual([a, b]);
      expect(await stores.roles.listByNames(companyA, [])).toEqual([]);
      expect(await stores.roles.listByNames(companyB, ['a', 'b'])).toEqual([]);
    });

    it('replaces a role’s permissions inside its company only', async () => {
      await stores.roles.create(role(companyA, 'viewer'));
      const permissions = [{ scope: 'devices:write', resource: null }];
      expect(await stores.roles.setPermissions(companyB, 'viewer', permissions)).toBe(false);
      expect((await stores.roles.findByName(companyA, 'viewer'))?.permissions).toHaveLength(2);
      expect(await stores.roles.setPermissions(companyA, 'viewer', permissions)).toBe(true);
      expect((await stores.roles.findByName(companyA, 'viewer'))?.permissions).toEqual(permissions);
    });

    it('creates groups with members and roles; names unique per company', async () => {
      const ops = group(companyA, 'ops', { memberIds: [accountId], roleNames: ['viewer'] });
      await stores.groups.create(ops);
      expect(await stores.groups.findByName(companyA, 'ops')).toEqual(ops);
      expect(await stores.groups.findByName(companyB, 'ops')).toBeNull();
      await expect(stores.groups.create(group(companyA, 'ops'))).rejects.toBeInstanceOf(ConflictError);
      await stores.groups.create(group(companyB, 'ops'));
      expect(await stores.groups.list(companyA)).toEqual([ops]);
    });

    it('adds members and roles idempotently, and never to another company’s group', async () => {
      const ops = group(companyA, 'ops');
      await stores.groups.create(ops);
      expect(await stores.groups.addMember(companyA, ops.id, accountId)).toBe(true);
      expect(await stores.groups.addMember(companyA, ops.id, accountId)).toBe(true);
      expect(await stores.groups.addRole(companyA, ops.id, 'viewer')).toBe(true);
      expect(await stores.groups.addRole(companyA, ops.id, 'viewer')).toBe(true);
      expect(await stores.groups.findByName(companyA, 'ops')).toMatchObject({ memberIds: [accountId], roleNames: ['viewer'] });

      // Company B's caller holding company A's group id changes nothing.
      expect(await stores.groups.addMember(companyB, ops.id, accountId)).toBe(false);
      expect(await stores.groups.addRole(companyB, ops.id, 'admin')).toBe(false);
      expect(await stores.groups.addMember(companyA, randomUUID(), accountId)).toBe(false);
      expect((await stores.groups.findByName(companyA, 'ops'))?.roleNames).toEqual(['viewer']);
    });

    it('deletes a role or a group of its own company only; a group takes its members and roles with it', async () => {
      await stores.roles.create(role(companyA, 'temp'));
      expect(await stores.roles.delete(companyB, 'temp')).toBe(false);
      expect(await stores.roles.delete(companyA, 'temp')).toBe(true);
      expect(await stores.roles.findByName(companyA, 'temp')).toBeNull();
      expect(await stores.roles.delete(companyA, 'temp')).toBe(false);

      const ops = group(companyA, 'ops', { memberIds: [accountId], roleNames: ['viewer'] });
      await stores.groups.create(ops);
      expect(await stores.groups.delete(companyB, ops.id)).toBe(false);
      expect(await stores.groups.findByName(companyA, 'ops')).toEqual(ops);
      expect(await stores.groups.delete(companyA, ops.id)).toBe(true);
      expect(await stores.groups.findByName(companyA, 'ops')).toBeNull();
      expect(await stores.groups.listForAccount(companyA, accountId)).toEqual([]);
      // The name is free again, and the new group starts empty.
      await stores.groups.create(group(companyA, 'ops'));
      expect(await stores.groups.findByName(companyA, 'ops')).toMatchObject({ memberIds: [], roleNames: [] });
    });

    it('lists an account’s groups inside one company only', async () => {
      const opsA = group(companyA, 'ops', { memberIds: [accountId] });
      const devA = group(companyA, 'dev', { memberIds: [accountId] });
      await stores.groups.create(opsA);
      await stores.groups.create(devA);
      await stores.groups.create(group(companyA, 'empty'));
      await stores.groups.create(group(companyB, 'ops', { memberIds: [accountId] }));
      expect((await stores.groups.listForAccount(companyA, accountId)).map((each) => each.name)).toEqual(['dev', 'ops']);
      expect((await stores.groups.listForAccount(companyB, accountId)).map((each) => each.name)).toEqual(['ops']);
      expect(await stores.groups.listForAccount(randomUUID(), accountId)).toEqual([]);
    });
  });
}
