import { z } from 'zod';
import { AdminProblem, type FieldError } from './problem.js';

/**
 * Parses one part of a request (body, query, path) with its zod schema. Every failure names its field, in the
 * body as a path into the JSON (`redirect_uris.1`), in the query and path with that prefix (`query.limit`); an
 * unknown field is refused by name, so nothing a client adds can reach a record (no mass assignment).
 */
export function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown, where: 'body' | 'query' | 'path'): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((issue) => fieldErrorsOf(issue, where));
  const detail = errors.map((error) => `${error.field}: ${error.message}`).join('; ');
  throw new AdminProblem(422, 'Validation failed', detail, errors);
}

function fieldErrorsOf(issue: z.core.$ZodIssue, where: 'body' | 'query' | 'path'): FieldError[] {
  const prefix = where === 'body' ? [] : [where];
  const at = (path: PropertyKey[]) => [...prefix, ...path.map(String)].join('.') || where;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: at([...issue.path, key]), message: 'unknown field' }));
  }
  return [{ field: at(issue.path), message: issue.message }];
}

/** Query parameters arrive as strings, once each; a repeated one is refused rather than silently picked. */
export function singleValued(query: Record<string, string | string[] | undefined>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      throw new AdminProblem(422, 'Validation failed', `query.${name}: given more than once`, [
        { field: `query.${name}`, message: 'given more than once' },
      ]);
    }
    values[name] = value;
  }
  return values;
}
