// Only the translations file: the package's index also loads megabytes of German dictionaries nobody here uses.
import germanEstimatorModule from '@zxcvbn-ts/language-de/dist/translations.js';
import * as englishEstimator from '@zxcvbn-ts/language-en';
import { MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH } from '../accounts/index.js';
import type { Locale } from './locale.js';

/**
 * Sentences other modules write in English (domain error messages, the strength estimator's feedback, scope
 * descriptions), translated where they reach a page. The English text is the message id, as in gettext: the
 * domain stays free of presentation, and a sentence nobody translated yet still shows, in English.
 */
type EstimatorTranslations = Record<'warnings' | 'suggestions', Record<string, string>>;
/** The file is CommonJS (`module.exports = translations`); its typings claim a default export instead. */
const germanEstimator = germanEstimatorModule as unknown as EstimatorTranslations;

type Rule = readonly [RegExp, (...groups: string[]) => string];

const GERMAN_SENTENCES: Record<string, string> = {
  // accounts/errors.ts
  'The email or password is incorrect.': 'Die E-Mail-Adresse oder das Passwort ist falsch.',
  'That code is not valid. Check your authenticator app and try again.':
    'Dieser Code ist ungültig. Prüfen Sie Ihre Authenticator-App und versuchen Sie es erneut.',
  // accounts/strength-policy.ts and password-policy.ts
  'This is one of the most common passwords.': 'Dies ist eines der häufigsten Passwörter.',
  'Choose a password nobody else uses.': 'Wählen Sie ein Passwort, das sonst niemand verwendet.',
  'This password is too easy to guess.': 'Dieses Passwort ist zu leicht zu erraten.',
  'Add another word or two; uncommon words are better.': 'Fügen Sie ein oder zwei Wörter hinzu; ungewöhnliche Wörter sind besser.',
  [`Use at least ${MIN_PASSWORD_LENGTH} characters.`]: `Verwenden Sie mindestens ${MIN_PASSWORD_LENGTH} Zeichen.`,
  [`Use at most ${MAX_PASSWORD_BYTES} bytes.`]: `Verwenden Sie höchstens ${MAX_PASSWORD_BYTES} Bytes.`,
  // interactions/scope-descriptions.ts and consent.ts
  'Your account': 'Ihr Konto',
  'Know who you are (your account identifier)': 'Wissen, wer Sie sind (Ihre Kontokennung)',
  'See your email address': 'Ihre E-Mail-Adresse sehen',
  'See your name': 'Ihren Namen sehen',
  'Stay connected when you are not using it (refresh tokens)': 'Verbunden bleiben, wenn Sie sie nicht nutzen (Refresh-Tokens)',
  'See and sign out your sessions': 'Ihre Sitzungen sehen und abmelden',
  // interactions/interaction-loader.ts and oidc/provider.ts
  'Sign-in expired': 'Anmeldung abgelaufen',
  'This sign-in is no longer valid. Go back to the application and start again.':
    'Diese Anmeldung ist nicht mehr gültig. Kehren Sie zur Anwendung zurück und beginnen Sie von vorn.',
  'Request refused': 'Anfrage abgelehnt',
  'The form could not be verified. Go back and try again.':
    'Das Formular konnte nicht geprüft werden. Gehen Sie zurück und versuchen Sie es erneut.',
  'Cannot continue': 'Fortfahren nicht möglich',
  'This step does not match the sign-in in progress.': 'Dieser Schritt passt nicht zur laufenden Anmeldung.',
  'Something went wrong': 'Etwas ist schiefgegangen',
  'The request could not be completed.': 'Die Anfrage konnte nicht abgeschlossen werden.',
  'Signed out': 'Abgemeldet',
  'You are signed out. You can close this window.': 'Sie sind abgemeldet. Sie können dieses Fenster schließen.',
  ...estimatorSentences(),
};

const GERMAN_RULES: Rule[] = [
  [
    /^Too many failed sign-in attempts\. Try again in (\d+) (second|minute)s?\.$/,
    (count, unit) => `Zu viele fehlgeschlagene Anmeldeversuche. Versuchen Sie es in ${count} ${germanUnit(unit!, Number(count))} erneut.`,
  ],
  [/^See your company’s (.+) \((.+)\)$/, (kind, api) => `„${kind}“ Ihres Unternehmens sehen (${api})`],
  [/^Create and change your company’s (.+) \((.+)\)$/, (kind, api) => `„${kind}“ Ihres Unternehmens anlegen und ändern (${api})`],
  [/^Delete your company’s (.+) \((.+)\)$/, (kind, api) => `„${kind}“ Ihres Unternehmens löschen (${api})`],
  [/^Administer your company’s (.+) \((.+)\)$/, (kind, api) => `„${kind}“ Ihres Unternehmens verwalten (${api})`],
  [/^Open remote screens \(VNC\) of your company’s (.+) \((.+)\)$/, (kind, api) => `Entfernte Bildschirme (VNC) von „${kind}“ Ihres Unternehmens öffnen (${api})`],
  [/^Use “(.+)” on (.+)$/, (scope, resource) => `„${scope}“ bei ${resource} verwenden`],
  [/^Use “(.+)”$/, (scope) => `„${scope}“ verwenden`],
];

export function translateDomainText(text: string, locale: Locale): string {
  if (locale === 'en') return text;
  const known = GERMAN_SENTENCES[text];
  if (known !== undefined) return known;
  for (const [pattern, render] of GERMAN_RULES) {
    const match = pattern.exec(text);
    if (match) return render(...match.slice(1));
  }
  return text;
}

/** zxcvbn-ts ships the same keys per language: English text → German text, key by key. */
function estimatorSentences(): Record<string, string> {
  const pairs: Array<[string, string]> = [];
  for (const group of ['warnings', 'suggestions'] as const) {
    const english = englishEstimator.translations[group] as Record<string, string>;
    const german = germanEstimator[group];
    for (const [key, text] of Object.entries(english)) {
      if (german[key]) pairs.push([text, german[key]]);
    }
  }
  return Object.fromEntries(pairs);
}

function germanUnit(unit: string, count: number): string {
  if (unit === 'second') return count === 1 ? 'Sekunde' : 'Sekunden';
  return count === 1 ? 'Minute' : 'Minuten';
}
