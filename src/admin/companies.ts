import { z } from 'zod';
import { NotFoundError } from '../shared/errors.js';
import type { TenantRecord } from '../storage/ports.js';
import { ADMIN_READ, ADMIN_PLATFORM, companyRoute, platformRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { decodeCursor, pageOfFetched, pageQuery } from './pagination.js';

function companyView(company: TenantRecord) {
  return { id: company.id, slug: company.slug, name: company.name, mfa_required: company.mfaRequired, created_at: company.createdAt };
}

/**
 * Companies: a company admin reads their own (`/company`); the platform operator creates companies, lists them and
 * reads any by id.
 */
export function companyRoutes(services: AdminServices): AdminRoute[] {
  const find = async (id: string) => {
    const company = await services.tenantRecords.findById(id);
    if (!company) throw new NotFoundError('no such company');
    return company;
  };
  return [
    companyRoute({
      method: 'get',
      path: '/company',
      summary: 'The caller\'s company',
      tag: 'companies',
      scope: ADMIN_READ,
      async handle({ caller }) {
        return companyView(await find(caller.companyId));
      },
    }),
    platformRoute({
      method: 'post',
      path: '/companies',
      summary: 'Create a company (platform operator)',
      tag: 'companies',
      scope: ADMIN_PLATFORM,
      body: z.strictObject({
        slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, '1-63 lower-case letters, digits or inner hyphens'),
        name: z.string().trim().min(1).max(200),
      }),
      successStatus: 201,
      async handle({ caller, body, meta }) {
        const company = companyView(await services.tenants.create(body.slug, body.name));
        await services.adminAudit.record(caller, { action: 'company.created', resource: `company:${company.id}`, after: company }, meta, company.id);
        return company;
      },
    }),
    platformRoute({
      method: 'get',
      path: '/companies',
      summary: 'Every company, by slug (platform operator)',
      tag: 'companies',
      scope: ADMIN_PLATFORM,
      query: z.strictObject(pageQuery),
      async handle({ query }) {
        const afterSlug = query.cursor === undefined ? undefined : decodeCursor<string>(query.cursor, 'string');
        const page = pageOfFetched(await services.tenantRecords.list({ afterSlug, limit: query.limit + 1 }), query.limit, (company) => company.slug);
        return { items: page.items.map(companyView), next_cursor: page.next_cursor };
      },
    }),
    platformRoute({
      method: 'get',
      path: '/companies/:companyId',
      summary: 'One company (platform operator)',
      tag: 'companies',
      scope: ADMIN_PLATFORM,
      params: z.strictObject({ companyId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a company id') }),
      async handle({ params }) {
        return companyView(await find(params.companyId));
      },
    }),
  ];
}
