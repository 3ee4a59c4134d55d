import { z } from 'zod';
import { NotFoundError } from '../shared/errors.js';
import type { AccountRecord, MembershipRecord } from '../storage/ports.js';
import type { AdminServices } from './dependencies.js';
import { AdminProblem } from './problem.js';

export const userIdParam = z.strictObject({ userId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an account id') });
export const roleName = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, '1-64 letters, digits or . _ : -');

/**
 * The account when it is a member of the caller's company. An account of another company, or one that does not
 * exist, is the same 404: an admin learns nothing about accounts outside the company.
 */
export async function memberOf(services: AdminServices, companyId: string, userId: string): Promise<{ account: AccountRecord; membership: MembershipRecord }> {
  const membership = await services.memberships.find(companyId, userId);
  const account = membership ? await services.accounts.findById(userId) : null;
  if (!membership || !account) throw new NotFoundError('the company has no such user');
  return { account, membership };
}

/** What the API shows of a member: never the password hash or the second factor's secrets. */
export function userView(account: AccountRecord, membership: MembershipRecord) {
  return {
    id: account.id,
    email: account.email,
    name: account.name,
    disabled: account.disabled,
    mfa_enrolled: account.mfa !== null,
    roles: membership.roles,
    member_since: membership.createdAt,
    created_at: account.createdAt,
  };
}

/** Roles a request names must exist in the caller's company; the first unknown one is a 422 naming its field. */
export async function requireRoles(services: AdminServices, companyId: string, names: string[], field = 'roles'): Promise<void> {
  const known = new Set((await services.accessControl.listRoles(companyId)).map((role) => role.name));
  const index = names.findIndex((name) => !known.has(name));
  if (index !== -1) {
    const message = `the company has no role ${names[index]}`;
    throw new AdminProblem(422, 'Validation failed', `${field}.${index}: ${message}`, [{ field: `${field}.${index}`, message }]);
  }
}
