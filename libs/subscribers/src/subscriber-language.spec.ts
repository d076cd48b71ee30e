import { languageName, readerOf, signUpLanguage, zoneFor } from './subscriber-language';

describe('a subscriber’s language and zone', () => {
  it('reads labels in the nearest catalog language and dates in the subscriber’s own form of it', () => {
    expect(readerOf('ru', 'en')).toEqual({ ui: 'ru', locale: 'ru' });
    expect(readerOf('en-US', 'en')).toEqual({ ui: 'en', locale: 'en-US' });
    expect(readerOf('kk-Cyrl-KZ', 'en')).toEqual({ ui: 'kk', locale: 'kk-Cyrl-KZ' });
    // No catalog for French: labels and dates in the fallback, so one email speaks one language.
    expect(readerOf('fr', 'en')).toEqual({ ui: 'en', locale: 'en' });
    expect(readerOf('fr', 'ru')).toEqual({ ui: 'ru', locale: 'ru' });
  });

  it('names a language in the reader’s words, as Intl does', () => {
    expect(languageName('en', 'ru')).toBe(new Intl.DisplayNames('ru', { type: 'language' }).of('en'));
    expect(languageName('fr', 'kk')).toBe(new Intl.DisplayNames('kk', { type: 'language' }).of('fr'));
    expect(languageName('en', 'en')).toBe('English');
  });

  it('takes the subscriber’s zone, else the area’s main zone', () => {
    expect(zoneFor('Europe/London', 'KZ-75')).toBe('Europe/London');
    expect(zoneFor(null, 'KZ-75')).toBe('Asia/Almaty');
    expect(zoneFor(null, 'GB')).toBe('Europe/London');
    expect(zoneFor(null, undefined)).toBe('UTC');
  });

  it('takes a sign-up’s language from Accept-Language when it asks for one of ours, else the default', () => {
    expect(signUpLanguage('ru-RU,ru;q=0.9,en;q=0.5', 'en')).toBe('ru');
    expect(signUpLanguage('kk-KZ', 'en')).toBe('kk');
    expect(signUpLanguage('en-US', 'fr')).toBe('en');
    expect(signUpLanguage('de-DE', 'fr')).toBe('fr');
    expect(signUpLanguage(undefined, 'fr')).toBe('fr');
    expect(signUpLanguage(undefined, 'en-GB')).toBe('en-GB');
    expect(signUpLanguage('en', 'en-GB')).toBe('en');
    expect(signUpLanguage('*', 'ru')).toBe('ru');
  });
});
