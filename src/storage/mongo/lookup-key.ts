/**
 * Every value used to look a document up goes through here on its way into a filter. The connection runs with
 * `sanitizeFilter`, which already wraps an operator object such as `{ "$ne": null }` in `$eq`; flattening it to a
 * string as well means a filter never depends on one setting staying on. The string matches nothing real.
 */
export function lookupKey(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}
