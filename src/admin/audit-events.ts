import { z } from 'zod';
import type { AuditRecord } from '../storage/ports.js';
import { ADMIN_READ, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { memberOf, userIdParam } from './members.js';
import { decodeCursor, pageOfFetched, pageQuery, type Page } from './pagination.js';

const filters = {
  subject: z.string().max(128).optional().describe('only events about this account'),
  resource: z.string().max(2000).optional().describe('only events about this resource (client:<id>, session:<id>, role:<name>, …)'),
};

function eventView(record: AuditRecord) {
  const { chain: _chain, ...event } = record;
  return event;
}

/**
 * The caller's company's audit trail, newest first: company-wide, per user, per resource. The chain read is the
 * company's own, so no filter in the query can reach another company's events.
 */
export function auditEventRoutes(services: AdminServices): AdminRoute[] {
  const page = async (chain: string, query: { limit: number; cursor?: string; subject?: string; resource?: string }): Promise<Page<unknown>> => {
    const beforeSeq = query.cursor === undefined ? undefined : decodeCursor<number>(query.cursor, 'number');
    const records = await services.auditTrail.query({
      chain,
      subject: query.subject,
      resource: query.resource,
      beforeSeq,
      limit: query.limit + 1,
    });
    const page = pageOfFetched(records, query.limit, (record) => record.seq);
    return { items: page.items.map(eventView), next_cursor: page.next_cursor };
  };
  return [
    companyRoute({
      method: 'get',
      path: '/audit-events',
      summary: 'The company\'s audit events, newest first; filter by subject or resource',
      tag: 'audit',
      scope: ADMIN_READ,
      query: z.strictObject({ ...pageQuery, ...filters }),
      async handle({ caller, query }) {
        return page(caller.companyId, query);
      },
    }),
    companyRoute({
      method: 'get',
      path: '/users/:userId/audit-events',
      summary: 'The audit events about one user of the company, newest first',
      tag: 'audit',
      scope: ADMIN_READ,
      params: userIdParam,
      query: z.strictObject(pageQuery),
      async handle({ caller, params, query }) {
        await memberOf(services, caller.companyId, params.userId);
        return page(caller.companyId, { ...query, subject: params.userId });
      },
    }),
  ];
}
