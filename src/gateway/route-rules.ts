import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One entry of FORWARD_AUTH_RULES_FILE: requests matching method and path need these scopes (and audience). */
export interface RouteRule {
  method: string;
  path: string;
  scopes: string[];
  audience?: string;
}

export interface RouteRequirement {
  scopes: string[];
  audience?: string;
}

const rulesFileSchema = z.object({
  rules: z.array(
    z.strictObject({
      method: z.string().regex(/^(\*|[A-Z]+)$/, 'an upper-case HTTP method or *'),
      path: z.string().startsWith('/', 'must start with /'),
      scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'a scope token')),
      audience: z.string().min(1).optional(),
    }),
  ),
});

/** The rules file is wrong; the message says where. */
export class RouteRulesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RouteRulesError';
  }
}

/**
 * Route rules, first match wins. Paths are patterns: `*` stands for one path segment (no `/`), `**` for any rest,
 * everything else is literal; the query string never takes part. A request no rule matches is refused: a
 * forgotten route stays closed rather than open to any token.
 */
export class RouteRules {
  private readonly compiled: Array<{ rule: RouteRule; pattern: RegExp }>;

  constructor(rules: RouteRule[]) {
    this.compiled = rules.map((rule) => ({ rule, pattern: compile(rule.path) }));
  }

  static fromFile(file: string): RouteRules {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new RouteRulesError(`cannot read ${file} as JSON: ${(error as Error).message}`);
    }
    const checked = rulesFileSchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new RouteRulesError(`${issue.path.join('.')}: ${issue.message}`);
    }
    return new RouteRules(checked.data.rules);
  }

  /** undefined when no rule matches, or when the path hides its shape (see comparablePath). */
  requirementFor(method: string, uri: string): RouteRequirement | undefined {
    const path = comparablePath(uri);
    if (path === undefined) return undefined;
    const match = this.compiled.find(({ rule, pattern }) => (rule.method === '*' || rule.method === method) && pattern.test(path));
    return match ? { scopes: match.rule.scopes, audience: match.rule.audience } : undefined;
  }
}

/**
 * The path as rules see it: query dropped, percent-escapes decoded. A path with dot segments, empty segments or an
 * escaped `/`, `.` or `\\` could be read differently by the gateway, Tessera and the upstream, so it matches no rule.
 */
function comparablePath(uri: string): string | undefined {
  const raw = uri.split('?')[0]!;
  if (/%(2f|2e|5c)/i.test(raw)) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (!path.startsWith('/') || path.includes('//') || /(^|\/)\.\.?(\/|$)/.test(path) || path.includes('\\')) return undefined;
  return path;
}

function compile(path: string): RegExp {
  const source = path
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
