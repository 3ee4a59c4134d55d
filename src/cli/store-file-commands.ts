import type { Config } from '../config/index.js';
import { backupStore, restoreStore } from '../storage/sqlite/index.js';
import { required, type ParsedCommand } from './commands.js';
import { UsageError } from './usage-error.js';

/**
 * Commands on the embedded store's file itself. They need the configuration (where the file is) but must not open
 * the store as the server does: that would migrate it, generate keys into it, and connect to Redis.
 */
export const STORE_FILE_COMMANDS: Record<string, (config: Config, command: ParsedCommand) => Promise<unknown>> = {
  backup: async (config, { options }) => {
    embeddedOnly(config);
    const summary = await backupStore(config.sqlitePath, required(options, 'out'));
    return { ...summary, ...redisNote(config) };
  },

  restore: async (config, { options }) => {
    embeddedOnly(config);
    const summary = await restoreStore(required(options, 'in'), config.sqlitePath, { force: options.force === true });
    return { ...summary, ...redisNote(config) };
  },
};

function embeddedOnly(config: Config): void {
  if (config.mongodbUri) {
    throw new UsageError('backup and restore cover the embedded SQLite store; with MONGODB_URI use mongodump and mongorestore (docs/backup.md)');
  }
}

/** Sessions, codes and tokens live in Redis when it is configured: the file does not carry them. */
function redisNote(config: Config): { note?: string } {
  if (!config.redisUrl) return {};
  return { note: 'REDIS_URL is set: sessions, codes and tokens in Redis are not part of the file (docs/backup.md)' };
}
