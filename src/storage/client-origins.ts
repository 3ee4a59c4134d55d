/**
 * Whether client metadata registers a redirect URI on `origin`. Adapters prefilter in their query language and
 * decide here, so every store answers the same. The origin is the browser's serialisation (scheme://host[:port]).
 */
export function registersRedirectOrigin(metadata: Record<string, unknown>, origin: string): boolean {
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris)) return false;
  return uris.some((uri) => typeof uri === 'string' && URL.parse(uri)?.origin === origin);
}
