import { languageName, readerOf, zoneFor } from './subscriber-language';

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
});
