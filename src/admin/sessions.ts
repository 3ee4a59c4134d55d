import { z } from 'zod';
import { ADMIN_READ, ADMIN_WRITE, companyRoute, type AdminRoute } from './admin-route.js';
import type { AdminServices } from './dependencies.js';
import { memberOf, userIdParam } from './members.js';
import { pageByKey, pageQuery } from './pagination.js';

const sessionParams = userIdParam.extend({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a session id') });

/**
 * Browser sessions of a member of the caller's company: list, revoke one, revoke all (which also revokes the
 * grants and refresh tokens obtained through them). A user of another company is not found.
 */
export function sessionRoutes(services: AdminServices): AdminRoute[] {
  return [
    companyRoute({
      method: 'get',
      path: '/users/:userId/sessions',
      summary: 'A user\'s sessions',
      tag: 'sessions',
      scope: ADMIN_READ,
      params: userIdParam,
      query: z.strictObject(pageQuery),
      async handle({ caller, params, query }) {
        await memberOf(services, caller.companyId, params.userId);
        const sessions = (await services.sessions.list(params.userId)).map(({ current: _current, ...session }) => session);
        return pageByKey(sessions, (session) => session.id, query);
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/users/:userId/sessions/:sessionId',
      summary: 'Revoke one session of a user',
      tag: 'sessions',
      scope: ADMIN_WRITE,
      params: sessionParams,
      async handle({ caller, params, meta }) {
        await memberOf(services, caller.companyId, params.userId);
        await services.sessions.revoke(params.userId, params.sessionId, meta);
        await services.adminAudit.record(caller, { action: 'session.revoked', subject: params.userId, resource: `session:${params.sessionId}` }, meta);
        return undefined;
      },
    }),
    companyRoute({
      method: 'delete',
      path: '/users/:userId/sessions',
      summary: 'Revoke every session of a user, with the grants obtained through them',
      tag: 'sessions',
      scope: ADMIN_WRITE,
      params: userIdParam,
      async handle({ caller, params, meta }) {
        await memberOf(services, caller.companyId, params.userId);
        const revoked = await services.sessions.revokeAll(params.userId, undefined, meta);
        await services.adminAudit.record(caller, { action: 'sessions.revoked_all', subject: params.userId, after: { revoked } }, meta);
        return { revoked };
      },
    }),
  ];
}
