import type { Context, Next } from 'koa';

/** One answer of oidc-provider, as it goes on the wire: the headers it set and the serialized JSON body. */
export interface CapturedResponse {
  readonly headers: ReadonlyArray<readonly [string, string | string[]]>;
  readonly body: string;
}

/** Distinct origins (Host, and protocol behind a trusted proxy) kept per cache; more are answered uncached. */
const MAX_ORIGINS = 16;

/**
 * Replays oidc-provider's answer to a public GET whose body depends only on the provider's state (discovery, the
 * JWKS), instead of building it again per request. The first request of each origin runs through oidc-provider;
 * its status-200 JSON answer is kept with every header oidc-provider set, and the next requests of that origin get
 * the same bytes (Koa writes a JSON body as `JSON.stringify(body)`, which is what is kept). Cached under a
 * `version` object: when the caller's version changes (a new key set), the next request runs through again.
 *
 * Only requests oidc-provider answers the same way are replayed: GET without a query string (a HEAD or a query
 * goes through) and without an Origin header, because its CORS middleware echoes the Origin back. The body names
 * the request's origin (`urlFor` builds endpoint URLs from the Host), hence one entry per origin, bounded so that
 * made-up Host headers cannot grow it.
 */
export class ProviderResponseCache {
  private readonly entries = new Map<string, { version: object; response: CapturedResponse }>();

  /** Answers the request from the cache or through `next`; returns what was cached, or undefined if it was not. */
  async serve(ctx: Context, next: Next, version: object): Promise<CapturedResponse | undefined> {
    if (ctx.method !== 'GET' || ctx.querystring !== '' || ctx.get('Origin') !== '') {
      await next();
      return undefined;
    }
    // What oidc-provider builds its URLs from (`urlFor` resolves against `ctx.href`): scheme, Host and path.
    const key = ctx.href;
    const entry = this.entries.get(key);
    if (entry && entry.version === version) {
      for (const [name, value] of entry.response.headers) ctx.set(name, value);
      ctx.body = entry.response.body;
      return entry.response;
    }
    const before = headersOf(ctx);
    await next();
    if (ctx.status !== 200 || !isJsonObject(ctx.body)) return undefined;
    const earlier = new Map(before.map(([name, value]) => [name, JSON.stringify(value)]));
    const response: CapturedResponse = {
      headers: headersOf(ctx).filter(([name, value]) => earlier.get(name) !== JSON.stringify(value)),
      body: JSON.stringify(ctx.body),
    };
    if (entry || this.entries.size < MAX_ORIGINS) this.entries.set(key, { version, response });
    return response;
  }
}

function headersOf(ctx: Context): Array<[string, string | string[]]> {
  return Object.entries(ctx.response.headers).map(([name, value]) => [
    name,
    Array.isArray(value) ? value.map(String) : String(value),
  ]);
}

function isJsonObject(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.getPrototypeOf(body) === Object.prototype;
}
