import type { FindAccount } from 'oidc-provider';
import type { AccountService } from '../accounts/index.js';
import { translateOutage } from './store-errors.js';

/** Claims by scope; the provider filters them to what was granted. */
export const CLAIMS_BY_SCOPE = {
  // acr/amr say how the user signed in (NIST level, RFC 8176 methods); they come from the session.
  openid: ['sub', 'acr', 'amr'],
  email: ['email', 'email_verified'],
  profile: ['name', 'updated_at'],
};

export function accountFinder(accounts: AccountService): FindAccount {
  return async (_ctx, sub) => {
    const account = await translateOutage(() => accounts.findById(sub));
    // A disabled account's tokens and sessions stop working at once: no account, no userinfo, no refresh.
    if (!account || account.disabled) return undefined;
    return {
      accountId: account.id,
      async claims() {
        return {
          sub: account.id,
          email: account.email,
          email_verified: false,
          name: account.name ?? undefined,
          updated_at: Math.floor(account.updatedAt.getTime() / 1000),
        };
      },
    };
  };
}
