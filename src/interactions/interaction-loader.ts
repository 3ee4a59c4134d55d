import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { CsrfTokens } from './csrf.js';
import { messagesForRequest } from '../i18n/index.js';
import { messagePage } from './views/pages.js';

export type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** The interaction named in the path, if the browser's cookie says it is this browser's; else an error page. */
export async function loadInteraction(provider: Provider, ctx: Context): Promise<InteractionDetails | undefined> {
  let details: InteractionDetails;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (error) {
    // No cookie, or the interaction expired: tell the user. Anything else (a store outage) is not "expired".
    if (error instanceof errors.SessionNotFound) return expired(ctx);
    throw error;
  }
  if (details.uid !== ctx.params.uid) return expired(ctx);
  // The access-log line names the client, as it does on oidc-provider's own routes.
  ctx.state.clientId = String(details.params.client_id);
  return details;
}

/** As loadInteraction, for a form POST: also checks the CSRF token and that the step is the one in progress. */
export async function loadPostedInteraction(
  provider: Provider,
  csrf: CsrfTokens,
  ctx: Context,
  expectedPrompt?: string,
): Promise<InteractionDetails | undefined> {
  const details = await loadInteraction(provider, ctx);
  if (!details) return undefined;
  if (!csrf.verify(details.uid, formFields(ctx).csrf)) {
    sendMessage(ctx, 403, 'Request refused', 'The form could not be verified. Go back and try again.');
    return undefined;
  }
  if (expectedPrompt && details.prompt.name !== expectedPrompt) {
    sendMessage(ctx, 400, 'Cannot continue', 'This step does not match the sign-in in progress.');
    return undefined;
  }
  return details;
}

export function expired(ctx: Context): undefined {
  sendMessage(ctx, 400, 'Sign-in expired', 'This sign-in is no longer valid. Go back to the application and start again.');
  return undefined;
}

export function sendMessage(ctx: Context, status: number, title: string, message: string): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = messagePage(title, message, [], messagesForRequest(ctx.get('accept-language')));
}

/** The parsed form body; anything that is not a string field reads as absent. */
export function formFields(ctx: Context): Record<string, string | undefined> {
  const body = (ctx.request as { body?: unknown }).body;
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]),
  );
}
