import type { Tessera } from '../app.js';
import { PLATFORM_CHAIN } from '../audit/index.js';
import { ADMIN_COMMANDS } from './admin-commands.js';
import { ACCESS_CONTROL_COMMANDS } from './access-control-commands.js';
import { generateCookieKeys, generateFieldKeySetting, generateSigningKeySet, SIGNING_ALGORITHMS } from '../crypto/index.js';
import type { JwtSigningAlgorithm } from '../storage/ports.js';
import { FIELD_KEY_COMMANDS } from './field-key-commands.js';
import { parseJsonObject, readStdin, stripOneTrailingNewline } from './stdin.js';
import { UsageError } from './usage-error.js';

export interface ParsedCommand {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
  stdin: () => Promise<string>;
}

type Command = (tessera: Tessera, command: ParsedCommand) => Promise<unknown>;

/** Commands that need no store (so they also work before any configuration exists). */
export const STANDALONE_COMMANDS: Record<string, (command: ParsedCommand) => Promise<unknown>> = {
  'keys generate': async () => ({
    JWKS: JSON.stringify(generateSigningKeySet()),
    COOKIE_KEYS: generateCookieKeys().join(','),
    FIELD_ENCRYPTION_KEYS: generateFieldKeySetting(),
  }),
};

/** `noun verb` → implementation. Each returns what is printed as JSON. */
export const COMMANDS: Record<string, Command> = {
  ...ACCESS_CONTROL_COMMANDS,

  ...ADMIN_COMMANDS,

  ...FIELD_KEY_COMMANDS,

  'tenant create': async (tessera, { positionals, options }) => {
    const tenant = await tessera.tenants.create(positionals[0], required(options, 'name'));
    return { id: tenant.id, slug: tenant.slug, name: tenant.name, createdAt: tenant.createdAt };
  },

  'user create': async (tessera, { options, stdin }) => {
    if (options['password-stdin'] !== true) throw new UsageError('--password-stdin is required (never pass a password as an argument)');
    const tenant = await tessera.tenants.getBySlug(required(options, 'tenant'));
    const password = stripOneTrailingNewline(await stdin());
    const account = await tessera.accounts.create(
      { email: required(options, 'email'), name: optional(options, 'name'), password },
      { tenantName: tenant.name },
    );
    const roles = (options.role as string[] | undefined) ?? [];
    const membership = await tessera.tenants.addMember(tenant.id, account.id, roles);
    return { id: account.id, email: account.email, name: account.name, tenant: tenant.slug, roles: membership.roles };
  },

  'tenant require-mfa': async (tessera, { positionals, options }) => {
    const tenant = await tessera.tenants.getBySlug(positionals[0]);
    const updated = await tessera.tenants.setMfaRequired(tenant.id, options.off !== true);
    return { slug: updated.slug, mfaRequired: updated.mfaRequired };
  },

  // Disabling ends every session, grant and refresh token at once; old browser cookies lead to the login page.
  'user disable': async (tessera, { options }) => {
    const account = await tessera.accounts.findByEmail(required(options, 'email'));
    if (!account) throw new UsageError('no account with that email');
    await tessera.accounts.setDisabled(account, true);
    await tessera.sessions.revokeEverything(account.id);
    return { id: account.id, email: account.email, disabled: true };
  },

  'user enable': async (tessera, { options }) => {
    const account = await tessera.accounts.findByEmail(required(options, 'email'));
    if (!account) throw new UsageError('no account with that email');
    if (await tessera.accountDeletion.scheduleOf(account.id)) throw new UsageError('the account is being deleted; it cannot be enabled');
    await tessera.accounts.setDisabled(account, false);
    return { id: account.id, email: account.email, disabled: false };
  },

  // The purge happens after ACCOUNT_PURGE_AFTER; until then the account stays disabled and cannot be enabled.
  'user delete': async (tessera, { options }) => {
    const account = await tessera.accounts.findByEmail(required(options, 'email'));
    if (!account) throw new UsageError('no account with that email');
    const deletion = await tessera.accountDeletion.request(account);
    return { id: account.id, disabled: true, purgeAfter: deletion.purgeAfter };
  },

  'user purge-due': async (tessera) => ({ purged: await tessera.accountDeletion.purgeDue() }),

  'audit verify': async (tessera, { options }) => {
    const result = await tessera.audit.verify(await chainOf(tessera, options));
    return { ...result, intact: result.firstBreak === null };
  },

  'audit list': async (tessera, { options }) => {
    const limit = optional(options, 'limit');
    if (limit !== undefined && !/^\d{1,4}$/.test(limit)) throw new UsageError('--limit takes a number up to 9999');
    const events = await tessera.audit.query({
      chain: await chainOf(tessera, options),
      subject: optional(options, 'subject'),
      resource: optional(options, 'resource'),
      limit: limit === undefined ? 50 : Number(limit),
    });
    return { events };
  },

  'client create': async (tessera, { options, stdin }) => {
    const tenantSlug = optional(options, 'tenant');
    const tenant = tenantSlug ? await tessera.tenants.getBySlug(tenantSlug) : null;
    const metadata = parseJsonObject(await stdin(), 'client metadata');
    const client = await tessera.clients.register(metadata, tenant?.id ?? null);
    return { ...client.metadata, tenant: tenant?.slug ?? null };
  },

  // A new signing key per algorithm (or only --alg's): published at once, signing after KEY_ROTATION_LEAD_TIME.
  'keys rotate': async (tessera, { options }) => {
    const alg = optional(options, 'alg');
    if (alg !== undefined && !(SIGNING_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new UsageError(`--alg takes one of ${SIGNING_ALGORITHMS.join(', ')}`);
    }
    return { added: await tessera.signingKeys.rotate(alg ? [alg as JwtSigningAlgorithm] : undefined) };
  },

  'resource create': async (tessera, { options }) => {
    const tenantSlug = optional(options, 'tenant');
    const tenant = tenantSlug ? await tessera.tenants.getBySlug(tenantSlug) : null;
    const ttl = optional(options, 'ttl');
    if (ttl !== undefined && !/^\d+$/.test(ttl)) throw new UsageError('--ttl takes a whole number of seconds');
    const server = await tessera.resourceServers.register(
      {
        identifier: required(options, 'id'),
        scopes: required(options, 'scopes'),
        jwtAccessTokens: options.jwt === true,
        accessTokenTtl: ttl === undefined ? null : Number(ttl),
        signingAlg: optional(options, 'alg'),
      },
      tenant?.id ?? null,
    );
    return { ...server, tenant: tenant?.slug ?? null };
  },
};

/** The trail a command reads: a company's (--tenant <slug>) or the platform's (--platform). */
async function chainOf(tessera: Tessera, options: ParsedCommand['options']): Promise<string> {
  if (options.platform === true) return PLATFORM_CHAIN;
  return (await tessera.tenants.getBySlug(required(options, 'tenant'))).id;
}

export const defaultStdin = () => readStdin();

export function required(options: ParsedCommand['options'], name: string): string {
  const value = optional(options, name);
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

function optional(options: ParsedCommand['options'], name: string): string | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name} takes a value`);
  return value;
}
