/**
 * The part of a logger that background machinery (store connections, start-up, re-encryption jobs) reports through:
 * a pino logger fits, and tests pass a silent or recording object.
 */
export interface OperationalLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}
