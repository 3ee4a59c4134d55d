import { parseArgs } from 'node:util';
import { createTessera } from '../app.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { DomainError } from '../shared/errors.js';
import { COMMANDS, defaultStdin, STANDALONE_COMMANDS, type ParsedCommand } from './commands.js';
import { STORE_FILE_COMMANDS } from './store-file-commands.js';
import { USAGE, UsageError } from './usage-error.js';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdin: () => Promise<string>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const OPTIONS = {
  name: { type: 'string' },
  tenant: { type: 'string' },
  email: { type: 'string' },
  role: { type: 'string', multiple: true },
  'password-stdin': { type: 'boolean' },
  id: { type: 'string' },
  scopes: { type: 'string' },
  jwt: { type: 'boolean' },
  alg: { type: 'string' },
  off: { type: 'boolean' },
  platform: { type: 'boolean' },
  subject: { type: 'string' },
  resource: { type: 'string' },
  limit: { type: 'string' },
  ttl: { type: 'string' },
  out: { type: 'string' },
  in: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean' },
  permissions: { type: 'string' },
  group: { type: 'string' },
} as const;

/** Runs one CLI command against the configured store. Returns the exit code: 0 ok, 2 bad input, 1 failure. */
export async function runCli(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let command: ParsedCommand & { name: string };
  try {
    command = parseCommand(argv, io.stdin);
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  let tessera;
  try {
    const standalone = STANDALONE_COMMANDS[command.name];
    const onStoreFile = STORE_FILE_COMMANDS[command.name];
    let result: unknown;
    if (standalone) {
      result = await standalone(command);
    } else if (onStoreFile) {
      result = await onStoreFile(loadConfig(io.env), command);
    } else {
      // Logs go to stderr so stdout stays pure JSON.
      // The server moves fields to a new key in the background; a CLI command does only what it is asked.
      tessera = await createTessera(loadConfig(io.env), createLogger('warn', process.stderr), {
        backgroundReencryption: false,
        accountPurge: false,
      });
      result = await COMMANDS[command.name]!(tessera, command);
    }
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError || error instanceof UsageError || error instanceof ConfigError) {
      const feedback = (error as { feedback?: string[] }).feedback;
      io.stderr(`error: ${error.message}${feedback?.length ? `\n  ${feedback.join('\n  ')}` : ''}\n`);
      return 2;
    }
    io.stderr(`error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  } finally {
    await tessera?.close();
  }
}

function parseCommand(argv: string[], stdin: () => Promise<string>): ParsedCommand & { name: string } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [noun, verb, ...rest] = parsed.positionals;
  if (!noun) throw new UsageError('no command given');
  if (parsed.values.help) throw new UsageError('the commands are:');
  // Most commands are `noun verb`; a few (backup, restore) are one word.
  const twoWords = `${noun} ${verb ?? ''}`;
  if (isCommand(twoWords)) return { name: twoWords, positionals: rest, options: parsed.values, stdin };
  if (isCommand(noun)) return { name: noun, positionals: parsed.positionals.slice(1), options: parsed.values, stdin };
  throw new UsageError(`unknown command: ${twoWords.trim()}`);
}

function isCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name) || Object.hasOwn(STANDALONE_COMMANDS, name) || Object.hasOwn(STORE_FILE_COMMANDS, name);
}

function defaultIo(): CliIo {
  return {
    env: process.env,
    stdin: defaultStdin,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}
