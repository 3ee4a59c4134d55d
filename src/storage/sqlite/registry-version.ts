import type { DatabaseSync } from 'node:sqlite';
import type { RegistryVersion } from '../ports.js';
import { prepared } from './database.js';

/**
 * How long a version read from the file is trusted before it is read again. Reading it is a read transaction
 * (≈ 4 µs in a busy server, twice per token request with a resource), which is most of what the memo saves; a
 * change by another process (the CLI, a second instance) therefore applies within this time. Changes made through
 * this process's own connection apply at once (see the constructor).
 */
export const OTHER_PROCESS_RECHECK_MS = 1000;

const REGISTRY_TABLES = ['clients', 'resource_servers'];
const CHANGES = ['INSERT', 'UPDATE', 'DELETE'];

/**
 * The counter the registry's triggers bump on every change (see migrations.ts), whichever connection makes it.
 *
 * Temporary triggers, which exist only on this connection, call back into this object when this connection changes
 * a client or a resource server (through a repository, the field re-encryption, or a cascade), so the next read of
 * the version goes to the file instead of trusting the last one.
 */
export class SqliteRegistryVersion implements RegistryVersion {
  private known = 0;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: DatabaseSync,
    private readonly recheckMs = OTHER_PROCESS_RECHECK_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    db.function('tessera_registry_changed_here', () => {
      this.readAt = Number.NEGATIVE_INFINITY;
      return null;
    });
    for (const table of REGISTRY_TABLES) {
      for (const change of CHANGES) {
        db.exec(
          `CREATE TEMP TRIGGER IF NOT EXISTS ${table}_${change.toLowerCase()}_here AFTER ${change} ON main.${table}
           BEGIN SELECT tessera_registry_changed_here(); END`,
        );
      }
    }
  }

  current(): number {
    const now = this.now();
    if (now - this.readAt >= this.recheckMs) {
      this.known = Number((prepared(this.db, 'SELECT version FROM registry_version WHERE id = 1').get() as { version: number }).version);
      this.readAt = now;
    }
    return this.known;
  }
}
