import type { Tessera } from '../app.js';
import { bootstrapCompanyAdmin, bootstrapPlatformClient } from '../admin/index.js';
import type { ParsedCommand } from './commands.js';
import { stripOneTrailingNewline } from './stdin.js';
import { UsageError } from './usage-error.js';

function option(options: ParsedCommand['options'], name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || !value) throw new UsageError(`--${name} is required`);
  return value;
}

/** The way into the admin API before anyone can call it. */
export const ADMIN_COMMANDS: Record<string, (tessera: Tessera, command: ParsedCommand) => Promise<unknown>> = {
  'admin bootstrap': async (tessera, { options, stdin }) =>
    bootstrapCompanyAdmin(tessera, {
      tenantSlug: option(options, 'tenant'),
      email: option(options, 'email'),
      ...(options['password-stdin'] === true ? { password: stripOneTrailingNewline(await stdin()) } : {}),
    }),

  'admin platform-client': async (tessera) => bootstrapPlatformClient(tessera),
};
