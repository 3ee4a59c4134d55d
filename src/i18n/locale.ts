/** The languages the pages are written in; the first is the fallback. */
export const SUPPORTED_LOCALES = ['en', 'de'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Longer lists are someone probing, not a browser; the rest is ignored rather than parsed. */
const MAX_LANGUAGE_RANGES = 32;

/**
 * The page language: the OIDC `ui_locales` parameter first (the relying party's explicit choice, in order of
 * preference), then the browser's Accept-Language by q-value, then English. Only the primary subtag decides
 * ("de-AT" reads German), since the catalogues are per language, not per region.
 */
export function negotiateLocale(uiLocales: unknown, acceptLanguage: string | undefined): Locale {
  if (typeof uiLocales === 'string') {
    for (const tag of uiLocales.split(/\s+/).slice(0, MAX_LANGUAGE_RANGES)) {
      const locale = supported(tag);
      if (locale) return locale;
    }
  }
  for (const tag of rankedLanguages(acceptLanguage ?? '')) {
    if (tag === '*') return DEFAULT_LOCALE;
    const locale = supported(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/** Accept-Language ranges by descending q (RFC 9110 §12.5.4); q=0 means "not this one", so it is dropped. */
function rankedLanguages(header: string): string[] {
  return header
    .split(',')
    .slice(0, MAX_LANGUAGE_RANGES)
    .map((part, position) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param)?.[1]).find((value) => value);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), position };
    })
    .filter((range) => range.tag && range.q > 0)
    .sort((a, b) => b.q - a.q || a.position - b.position)
    .map((range) => range.tag);
}

function supported(tag: string): Locale | undefined {
  const primary = tag.toLowerCase().split('-')[0];
  return SUPPORTED_LOCALES.find((locale) => locale === primary);
}
