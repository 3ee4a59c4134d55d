import { translateDomainText } from './domain-text.js';
import { DEFAULT_LOCALE, negotiateLocale, SUPPORTED_LOCALES, type Locale } from './locale.js';
import { de } from './messages/de.js';
import { en, type Messages } from './messages/en.js';

export { DEFAULT_LOCALE, negotiateLocale, SUPPORTED_LOCALES, translateDomainText, type Locale, type Messages };

const CATALOGUES: Record<Locale, Messages> = { en, de };

export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}

/** The catalogue for a request: `ui_locales` (from the authorization request, if any), else Accept-Language. */
export function messagesForRequest(acceptLanguage: string | undefined, uiLocales?: unknown): Messages {
  return messagesFor(negotiateLocale(uiLocales, acceptLanguage));
}
