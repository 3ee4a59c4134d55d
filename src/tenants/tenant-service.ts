import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import type { MembershipRecord, MembershipRepository, TenantRecord, TenantRepository } from '../storage/ports.js';

const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const ROLE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export class TenantService {
  constructor(
    private readonly tenants: TenantRepository,
    private readonly memberships: MembershipRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(slug: unknown, name: unknown): Promise<TenantRecord> {
    if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) {
      throw new ValidationError('slug must be 1-63 lower-case letters, digits or inner hyphens', 'slug');
    }
    if (typeof name !== 'string' || !name.trim() || name.length > 200) {
      throw new ValidationError('name must be 1-200 characters', 'name');
    }
    const tenant = { id: randomUUID(), slug, name: name.trim(), mfaRequired: false, createdAt: this.now() };
    await this.tenants.create(tenant);
    return tenant;
  }

  async getBySlug(slug: unknown): Promise<TenantRecord> {
    const tenant = typeof slug === 'string' ? await this.tenants.findBySlug(slug) : null;
    if (!tenant) throw new NotFoundError(`no company with slug ${String(slug)}`);
    return tenant;
  }

  /** Makes a second factor mandatory (or optional again) for every member of the company. */
  async setMfaRequired(tenantId: string, required: boolean): Promise<TenantRecord> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw new NotFoundError('no such company');
    const updated = { ...tenant, mfaRequired: required };
    await this.tenants.update(updated);
    return updated;
  }

  /** True when any company the account belongs to demands a second factor. */
  async requiresMfa(accountId: string): Promise<boolean> {
    const memberships = await this.memberships.listForAccount(accountId);
    const tenants = await Promise.all(memberships.map((membership) => this.tenants.findById(membership.tenantId)));
    return tenants.some((tenant) => tenant?.mfaRequired === true);
  }

  async addMember(tenantId: string, accountId: string, roles: string[]): Promise<MembershipRecord> {
    const invalid = roles.find((role) => !ROLE_PATTERN.test(role));
    if (invalid !== undefined) throw new ValidationError(`invalid role name: ${invalid}`, 'role');
    const membership = { tenantId, accountId, roles, createdAt: this.now() };
    await this.memberships.put(membership);
    return membership;
  }

  listMemberships(accountId: string): Promise<MembershipRecord[]> {
    return this.memberships.listForAccount(accountId);
  }

  /** The companies the account is a member of, by name. */
  async companiesOf(accountId: string): Promise<TenantRecord[]> {
    const memberships = await this.memberships.listForAccount(accountId);
    const tenants = await Promise.all(memberships.map((membership) => this.tenants.findById(membership.tenantId)));
    return tenants.filter((tenant): tenant is TenantRecord => tenant !== null).sort((a, b) => a.name.localeCompare(b.name));
  }
}
