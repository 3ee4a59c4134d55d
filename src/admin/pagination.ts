import { z } from 'zod';
import { AdminProblem } from './problem.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?limit=&cursor=` of every list; the cursor is opaque to clients (next_cursor of the previous page). */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe('page size'),
  cursor: z.string().max(512).optional().describe('next_cursor of the previous page'),
};

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function encodeCursor(position: string | number): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor stands for; a cursor that is not one of ours is a 422 naming `query.cursor`. */
export function decodeCursor<T extends string | number>(cursor: string, kind: 'string' | 'number'): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === kind) return value as T;
  } catch {
    // fall through
  }
  throw new AdminProblem(422, 'Validation failed', 'query.cursor: not a cursor this API issued', [
    { field: 'query.cursor', message: 'not a cursor this API issued' },
  ]);
}

/** One page of a list held in memory, ordered by a unique text key; the cursor is the last key shown. */
export function pageByKey<T>(all: T[], keyOf: (item: T) => string, query: { limit: number; cursor?: string }): Page<T> {
  const after = query.cursor === undefined ? undefined : decodeCursor<string>(query.cursor, 'string');
  const sorted = [...all].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((item) => keyOf(item) > after);
  const items = rest.slice(0, query.limit);
  const more = rest.length > query.limit;
  return { items, next_cursor: more ? encodeCursor(keyOf(items[items.length - 1]!)) : null };
}

/** A page from a store asked for `limit + 1` items after the cursor: the extra item only says that more follow. */
export function pageOfFetched<T>(fetched: T[], limit: number, positionOf: (item: T) => string | number): Page<T> {
  const items = fetched.slice(0, limit);
  return { items, next_cursor: fetched.length > limit ? encodeCursor(positionOf(items[items.length - 1]!)) : null };
}
