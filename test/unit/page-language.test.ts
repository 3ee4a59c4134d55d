import { describe, expect, it } from '@jest/globals';
import {
  AccountLockedError,
  checkPasswordLength,
  InvalidCredentialsError,
  InvalidSecondFactorError,
  StrengthPasswordPolicy,
  WeakPasswordError,
} from '../../src/accounts/index.js';
import { messagesFor, negotiateLocale, translateDomainText } from '../../src/i18n/index.js';
import { en } from '../../src/i18n/messages/en.js';
import { describeOidcScope, describeResourceScope } from '../../src/interactions/scope-descriptions.js';
import { companyChoicePage } from '../../src/interactions/views/company-page.js';
import { deviceCodeInputPage, deviceConfirmPage, deviceSessionExpiredPage, deviceSuccessPage } from '../../src/interactions/views/device-pages.js';
import { loginPage, messagePage } from '../../src/interactions/views/pages.js';

describe('negotiateLocale', () => {
  it('takes the first supported ui_locales entry, ahead of the browser', () => {
    expect(negotiateLocale('fr-CA de en', 'en-US,en;q=0.9')).toBe('de');
    expect(negotiateLocale('en', 'de')).toBe('en');
  });

  it('ranks Accept-Language by q-value, not by position', () => {
    expect(negotiateLocale(undefined, 'en;q=0.5, de;q=0.9')).toBe('de');
    expect(negotiateLocale(undefined, 'fr, de-AT;q=0.8, en;q=0.7')).toBe('de');
    expect(negotiateLocale(undefined, 'de;q=0.7, en;q=0.7')).toBe('de');
  });

  it('treats q=0 as a refusal and falls back to English for anything unsupported or malformed', () => {
    expect(negotiateLocale(undefined, 'de;q=0, fr')).toBe('en');
    expect(negotiateLocale(undefined, undefined)).toBe('en');
    expect(negotiateLocale(undefined, 'xx;q=banana,,;;')).toBe('en');
    expect(negotiateLocale(['de'], undefined)).toBe('en');
    expect(negotiateLocale(undefined, '*')).toBe('en');
  });
});

describe('German catalogue', () => {
  it('fills every entry English has', () => {
    const de = messagesFor('de');
    for (const [group, entries] of Object.entries(en)) {
      if (typeof entries !== 'object') continue;
      for (const key of Object.keys(entries)) {
        const value = (de as unknown as Record<string, Record<string, unknown>>)[group]![key];
        const text = typeof value === 'function' ? value(2) : value;
        expect(typeof text === 'string' && text.length > 0).toBe(true);
      }
    }
  });

  it('translates what the domain says in English: sign-in errors, password policy and estimator feedback', () => {
    const policy = new StrengthPasswordPolicy();
    const refusals = ['password', 'qwertyuiop', 'Summer2024', 'ada.lovelace'].map((password) => {
      try {
        policy.check(password, { email: 'ada.lovelace@example.com' });
      } catch (error) {
        if (error instanceof WeakPasswordError) return error;
      }
      throw new Error(`${password} was accepted`);
    });
    let tooShort: WeakPasswordError | undefined;
    try {
      checkPasswordLength('short');
    } catch (error) {
      tooShort = error as WeakPasswordError;
    }
    const sentences = [
      new InvalidCredentialsError().message,
      new InvalidSecondFactorError().message,
      new AccountLockedError(1).message,
      new AccountLockedError(600).message,
      tooShort!.message,
      ...refusals.flatMap((error) => [error.message, ...error.feedback]),
      describeOidcScope('email'),
      describeOidcScope('inventory:read'),
      ...['devices:read', 'orders:write', 'orders:delete', 'fleet:admin', 'devices:vnc', 'orders:export'].map((scope) =>
        describeResourceScope(scope, 'https://api.example.com'),
      ),
    ];
    for (const sentence of sentences) {
      expect({ sentence, german: translateDomainText(sentence, 'de') }).not.toEqual({ sentence, german: sentence });
      expect(translateDomainText(sentence, 'en')).toBe(sentence);
    }
    expect(translateDomainText(new AccountLockedError(600).message, 'de')).toBe(
      'Zu viele fehlgeschlagene Anmeldeversuche. Versuchen Sie es in 10 Minuten erneut.',
    );
  });

  it('leaves a sentence nobody translated in English rather than dropping it', () => {
    expect(translateDomainText('A brand-new message.', 'de')).toBe('A brand-new message.');
  });
});

describe('rendered pages', () => {
  const login = (locale: 'en' | 'de', error?: string) =>
    loginPage({ t: messagesFor(locale), action: '/i/x/login', abortAction: '/i/x/abort', csrfToken: 'c', clientName: 'Shop <&>', error });

  it('set <html lang> and use the catalogue', () => {
    expect(login('de')).toContain('<html lang="de">');
    expect(login('de')).toContain('<h1>Anmelden</h1>');
    expect(login('de')).toContain('um mit <strong>Shop &lt;&amp;&gt;</strong> fortzufahren');
    expect(login('en')).toContain('<html lang="en">');
    expect(messagePage('Sign-in expired', 'This sign-in is no longer valid. Go back to the application and start again.', [], messagesFor('de')))
      .toContain('<h1>Anmeldung abgelaufen</h1>');
  });

  it('announce an error and tie it to the fields it is about', () => {
    const page = login('de', new InvalidCredentialsError().message);
    expect(page).toContain('<p class="error" role="alert" id="form-error">Die E-Mail-Adresse oder das Passwort ist falsch.</p>');
    expect(page.match(/aria-describedby="form-error" aria-invalid="true"/g)).toHaveLength(2);
    expect(login('en')).not.toContain('aria-invalid');
  });
});

describe('device and company pages', () => {
  const de = messagesFor('de');
  const en = messagesFor('en');

  it('render the device pages in German, with <html lang>', () => {
    const input = deviceCodeInputPage({ t: de, action: '/device', csrfToken: 'x', problem: 'wrong-code' });
    expect(input).toContain('<html lang="de">');
    expect(input).toContain('<h1>Gerät verbinden</h1>');
    expect(input).toContain('<label for="user_code">Code</label>');
    expect(input).toContain('<p class="error" role="alert" id="form-error">Dieser Code ist ungültig oder abgelaufen.');
    expect(input).toMatch(/<input id="user_code"[^>]* autofocus[^>]* aria-describedby="form-error code-hint" aria-invalid="true"/);
    expect(input).toContain('>Weiter</button>');

    const confirm = deviceConfirmPage({ t: de, action: '/device', csrfToken: 'x', clientName: 'TV <&>', userCode: 'BCDF-GHJK', requestedFrom: '192.0.2.7' });
    expect(confirm).toContain('<html lang="de">');
    expect(confirm).toContain('<strong>TV &lt;&amp;&gt;</strong> möchte Sie auf einem Gerät anmelden.');
    expect(confirm).toContain('Angefordert von 192.0.2.7');
    expect(confirm).toContain('>Abbrechen</button>');

    expect(deviceSuccessPage(de)).toContain('<html lang="de">');
    expect(deviceSuccessPage(de)).toContain('<h1>Gerät verbunden</h1>');
    expect(deviceSessionExpiredPage('/device', de)).toContain('<a href="/device">Code eingeben</a>');
  });

  it('render the device pages in English without an error when nothing went wrong', () => {
    const input = deviceCodeInputPage({ t: en, action: '/device', csrfToken: 'x', userCode: 'BCDF-GHJK' });
    expect(input).toContain('<html lang="en">');
    expect(input).toContain('Enter the code shown on your device.');
    expect(input).not.toContain('role="alert"');
    expect(input).not.toContain('aria-invalid');
    expect(input).toContain('value="BCDF-GHJK"');
  });

  it('render the company chooser in German, the first company focused and an error announced', () => {
    const view = {
      action: '/i/x/company',
      abortAction: '/i/x/abort',
      csrfToken: 'c',
      clientName: 'Shop',
      companies: [{ slug: 'acme', name: 'Acme' }, { slug: 'globex', name: 'Globex' }],
    };
    const chooser = companyChoicePage({ ...view, t: de, error: de.company.chooseOne });
    expect(chooser).toContain('<html lang="de">');
    expect(chooser).toContain('<h1>Unternehmen auswählen</h1>');
    expect(chooser).toContain('Für welches Unternehmen möchten Sie <strong>Shop</strong> verwenden?');
    expect(chooser).toContain('<p class="error" role="alert" id="form-error">Wählen Sie eines Ihrer Unternehmen aus.</p>');
    expect(chooser).toContain('<button type="submit" name="company" value="acme" autofocus>Acme</button>');
    expect(chooser).toContain('<button type="submit" name="company" value="globex">Globex</button>');
    expect(chooser).toContain('>Abbrechen</button>');
    expect(companyChoicePage({ ...view, t: en })).toContain('<html lang="en">');
  });
});
