import type { z } from 'zod';
import type { RequestMeta } from '../audit/index.js';

export const ADMIN_READ = 'admin:read';
export const ADMIN_WRITE = 'admin:write';
/** Held only by a platform client (no company): creates and reads companies. */
export const ADMIN_PLATFORM = 'admin:platform';
export type AdminScope = typeof ADMIN_READ | typeof ADMIN_WRITE | typeof ADMIN_PLATFORM;

/** Who calls, as the access token says: the company comes from the token's `company` claim and nowhere else. */
export interface CompanyCaller {
  kind: 'company';
  companyId: string;
  /** The token's subject: the admin user, or the client itself for a machine token. */
  actor: string;
  clientId: string;
}

export interface PlatformCaller {
  kind: 'platform';
  actor: string;
  clientId: string;
}

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface HandlerInput<P extends AnyObject, Q extends AnyObject, B extends AnyObject, C> {
  caller: C;
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
  meta: RequestMeta;
}

/**
 * One admin API operation: the schemas that validate it are the ones the OpenAPI document is generated from, so
 * the document cannot drift from what the API accepts. Company routes hand the handler the caller's company id;
 * a handler has no other way to learn a company.
 */
export interface AdminRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa style, below /admin/api/v1: `/users/:userId`. */
  path: string;
  summary: string;
  tag: string;
  scope: AdminScope;
  params?: AnyObject;
  query?: AnyObject;
  body?: AnyObject;
  /** 201 for creations; 204 when the handler returns nothing. */
  successStatus?: 200 | 201 | 202 | 204;
  handle(input: HandlerInput<AnyObject, AnyObject, AnyObject, CompanyCaller | PlatformCaller>): Promise<unknown>;
}

interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends AnyObject, C> extends Omit<AdminRoute, 'handle' | 'params' | 'query' | 'body'> {
  params?: P;
  query?: Q;
  body?: B;
  handle(input: HandlerInput<P, Q, B, C>): Promise<unknown>;
}

/** A route inside the caller's company (admin:read / admin:write). */
export function companyRoute<P extends AnyObject, Q extends AnyObject, B extends AnyObject>(
  spec: RouteSpec<P, Q, B, CompanyCaller> & { scope: typeof ADMIN_READ | typeof ADMIN_WRITE },
): AdminRoute {
  return spec as unknown as AdminRoute;
}

/** A platform-operator route (admin:platform). */
export function platformRoute<P extends AnyObject, Q extends AnyObject, B extends AnyObject>(
  spec: RouteSpec<P, Q, B, PlatformCaller> & { scope: typeof ADMIN_PLATFORM },
): AdminRoute {
  return spec as unknown as AdminRoute;
}
