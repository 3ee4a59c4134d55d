import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ClientRepository, MembershipRepository } from '../storage/ports.js';
import { companyOfClient } from './client-metadata.js';
import { translateOutage } from './store-errors.js';

/** The claim naming the company (tenant id) a token acts in; gateways pass it on as X-Auth-Company. */
export const COMPANY_CLAIM = 'company';

interface TokenSubject {
  accountId?: string;
  clientId?: string;
  grantId?: string;
}

/** The company a user's token acts in, as chosen at sign-in (tenancy.ts); undefined when none was chosen. */
export type ActiveCompanyOf = (token: TokenSubject) => Promise<string | undefined>;

/**
 * oidc-provider's `extraTokenClaims`: adds `company` to access tokens (JWT payload and introspection alike).
 * A user's token names the company chosen at sign-in (the one its grant was consented in); failing that, the
 * company when it is unambiguous: the account belongs to exactly one. A machine token (client credentials) names
 * the company that owns the client. Platform clients and multi-company users get no claim rather than a guess.
 */
export function companyClaims(memberships: MembershipRepository, clients: ClientRepository, activeCompanyOf?: ActiveCompanyOf) {
  return async function extraTokenClaims(ctx: KoaContextWithOIDC, token: unknown): Promise<Record<string, string> | undefined> {
    const subject = token as TokenSubject;
    const loadedClientCompany = machineTokenCompany(ctx, subject);
    const company =
      loadedClientCompany !== undefined
        ? loadedClientCompany
        : ((await activeCompanyOf?.(subject)) ?? (await translateOutage(() => companyOf(subject, memberships, clients))));
    return company ? { [COMPANY_CLAIM]: company } : undefined;
  };
}

/**
 * A machine token's company (null: a platform client's), from the client this request already loaded with the
 * registry's record of its owner; undefined when the token is a user's or names another client.
 */
function machineTokenCompany(ctx: KoaContextWithOIDC, token: TokenSubject): string | null | undefined {
  const client = ctx?.oidc?.client;
  if (token.accountId || !token.clientId || client?.clientId !== token.clientId) return undefined;
  return companyOfClient(client) ?? null;
}

async function companyOf(token: TokenSubject, memberships: MembershipRepository, clients: ClientRepository): Promise<string | null> {
  if (token.accountId) {
    const all = await memberships.listForAccount(token.accountId);
    return all.length === 1 ? all[0]!.tenantId : null;
  }
  if (token.clientId) return (await clients.find(token.clientId))?.tenantId ?? null;
  return null;
}
