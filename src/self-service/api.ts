import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type Provider from 'oidc-provider';
import { bodyParser } from '@koa/bodyparser';
import {
  type AccountDeletion,
  type AccountService,
  type LoginService,
  type PasswordManagement,
} from '../accounts/index.js';
import { requestMeta } from '../http/request-meta.js';
import { NotFoundError } from '../shared/errors.js';
import type { SessionService } from '../sessions/index.js';
import type { PersonalDataExport } from './personal-data-export.js';

/** The scope a token needs to manage its user's own sessions through the API. */
export const ACCOUNT_SCOPE = 'account';

export interface SelfServiceApiDependencies {
  provider: Provider;
  accounts: AccountService;
  passwords: PasswordManagement;
  sessions: SessionService;
  deletion: AccountDeletion;
  personalData: PersonalDataExport;
  /** Checks the password again, under the sign-in throttle. */
  login: LoginService;
}

/**
 * /account/api: the same session list and revocation as the page, for apps holding one of Tessera's own
 * (opaque) access tokens with the `account` scope. There is no "current" session here: a bearer token is not tied
 * to a browser.
 */
export function selfServiceApi(deps: SelfServiceApiDependencies): Router {
  const router = new Router({ prefix: '/account/api' });

  const bearer = async (ctx: Context, next: Next) => {
    const accountId = await authenticate(deps, ctx.get('authorization'));
    if (!accountId) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', `Bearer error="invalid_token", scope="${ACCOUNT_SCOPE}"`);
      ctx.body = { error: 'invalid_token', error_description: `a valid access token with the ${ACCOUNT_SCOPE} scope is required` };
      return;
    }
    ctx.state.accountId = accountId;
    ctx.set('Cache-Control', 'no-store');
    await next();
  };

  router.get('/sessions', bearer, async (ctx) => {
    ctx.body = { sessions: await deps.sessions.list(ctx.state.accountId as string) };
  });

  router.delete('/sessions/:id', bearer, async (ctx) => {
    try {
      await deps.sessions.revoke(ctx.state.accountId as string, ctx.params.id!, requestMeta(ctx));
      ctx.status = 204;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: 'no such session' };
    }
  });

  // Changing the password ends every session and grant, this token's included; refusals carry the feedback.
  router.post('/password', bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }), bearer, async (ctx) => {
    const account = (await deps.accounts.findById(ctx.state.accountId as string))!;
    const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
    await deps.passwords.change(account, body.current_password, body.new_password, requestMeta(ctx));
    ctx.status = 204;
  });

  router.delete('/sessions', bearer, async (ctx) => {
    ctx.body = { revoked: await deps.sessions.revokeAll(ctx.state.accountId as string, undefined, requestMeta(ctx)) };
  });

  // GDPR access right: the account's data as a JSON download.
  router.get('/export', bearer, async (ctx) => {
    const account = (await deps.accounts.findById(ctx.state.accountId as string))!;
    ctx.set('Content-Disposition', 'attachment; filename="tessera-account.json"');
    ctx.body = await deps.personalData.of(account);
  });

  // Deleting needs the password as well as the token: a token alone (perhaps stolen) cannot erase an account.
  // The account is disabled and every token, this one included, ends at once; the data goes after the window.
  router.delete(
    '/account',
    bodyParser({ enableTypes: ['json'], jsonLimit: '16kb', parsedMethods: ['DELETE'] }),
    bearer,
    async (ctx) => {
      const account = (await deps.accounts.findById(ctx.state.accountId as string))!;
      const body = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
      await deps.login.reconfirmPassword(account, body.password, requestMeta(ctx));
      const deletion = await deps.deletion.request(account, { actor: account.id, ...requestMeta(ctx) });
      ctx.body = { deleted: true, purgeAfter: deletion.purgeAfter.toISOString() };
    },
  );

  return router;
}

/** The account behind an opaque access token issued by this server with the account scope, if still valid. */
async function authenticate(deps: SelfServiceApiDependencies, header: string): Promise<string | undefined> {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
  if (!match) return undefined;
  const token = await deps.provider.AccessToken.find(match[1]!);
  if (!token || token.isExpired || !token.accountId) return undefined;
  // A token minted for some other API (an audience) is not a token for this one.
  if (token.aud) return undefined;
  if (!String(token.scope ?? '').split(' ').includes(ACCOUNT_SCOPE)) return undefined;
  const account = await deps.accounts.findById(token.accountId);
  return account && !account.disabled ? account.id : undefined;
}
