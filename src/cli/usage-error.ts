import { ACCESS_CONTROL_USAGE } from './access-control-usage.js';
import { ADMIN_USAGE } from './admin-usage.js';

/** The command line was wrong: print the message and the usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: npm run cli -- <command>

  tenant create <slug> --name <name>
  tenant require-mfa <slug> [--off]          (every member must use two-step verification)
  user create --tenant <slug> --email <email> --password-stdin [--name <name>] [--role <role>]...
  user disable --email <email>               (also ends all its sessions and tokens)
  user enable --email <email>                (refused once the account's deletion was requested)
  user delete --email <email>                (disables at once; personal data purged after ACCOUNT_PURGE_AFTER)
  user purge-due                             (runs the purge of deleted accounts once, as the server does each interval)
${ACCESS_CONTROL_USAGE}
${ADMIN_USAGE}
  client create [--tenant <slug>]            (RFC 7591 client metadata as JSON on stdin)
  resource create --id <uri> --scopes "<a b c>" [--jwt [--alg ES256|RS256|EdDSA]] [--ttl <seconds>] [--tenant <slug>]
  audit verify (--tenant <slug> | --platform)  (reports the first broken link of the hash chain)
  audit list (--tenant <slug> | --platform) [--subject <account id>] [--resource <r>] [--limit <n>]
  keys generate                              (JWKS, COOKIE_KEYS, FIELD_ENCRYPTION_KEYS for production)
  keys rotate [--alg ES256|RS256|EdDSA]      (new signing keys: published now, signing after KEY_ROTATION_LEAD_TIME)
  keys rotate-field-key                      (prints FIELD_ENCRYPTION_KEYS with a new current key before the old ones)
  keys reencrypt                             (moves every encrypted field to the current key; says which old keys are still used)
  keys field-usage                           (counts the encrypted fields by key)
  backup --out <file>                        (a consistent copy of the SQLite store; the server may keep running)
  restore --in <file> [--force]              (replaces the SQLite store; stop the server first; --force if it holds data)

Every command prints JSON. Bad input exits with code 2.`;
