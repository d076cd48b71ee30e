import {
  canonicalLanguage,
  isUiLanguage,
  matchLanguage,
  negotiateLanguage,
  SUPPORTED_LANGUAGES,
  uiLanguageOf,
} from './languages';

describe('SUPPORTED_LANGUAGES', () => {
  it('is English, Russian and Kazakh, English first', () => {
    expect(SUPPORTED_LANGUAGES).toEqual(['en', 'ru', 'kk']);
    expect(SUPPORTED_LANGUAGES.map(isUiLanguage)).toEqual([true, true, true]);
    expect(isUiLanguage('fr')).toBe(false);
  });
});

describe('canonicalLanguage', () => {
  it.each([
    ['en', 'en'],
    ['ru-ru', 'ru-RU'],
    ['KK-cyrl-kz', 'kk-Cyrl-KZ'],
    [' fr ', 'fr'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['iw', 'he'],
    ['en-u-ca-gregory', 'en-u-ca-gregory'],
  ])('%j → %j', (tag, canonical) => {
    expect(canonicalLanguage(tag)).toBe(canonical);
  });

  it.each(['', '   ', 'en_US', '*', 'english language', 'x', '123', 'en--US', 'a'.repeat(65), 'ru-'])(
    '%j is not a BCP 47 tag',
    (tag) => {
      expect(canonicalLanguage(tag)).toBeNull();
    },
  );
});

describe('uiLanguageOf', () => {
  it.each([
    ['ru', 'en', 'ru'],
    ['ru-RU', 'en', 'ru'],
    ['kk-Cyrl-KZ', 'en', 'kk'],
    ['EN-gb', 'ru', 'en'],
    ['fr', 'en', 'en'],
    ['fr', 'kk', 'kk'],
    ['en_US', 'ru', 'ru'],
    [null, 'kk', 'kk'],
    [undefined, 'ru', 'ru'],
  ] as const)('%j with fallback %j → %j', (tag, fallback, expected) => {
    expect(uiLanguageOf(tag, fallback)).toBe(expected);
  });
});

describe('negotiateLanguage', () => {
  it.each([
    ['ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7', 'en', 'ru'],
    ['kk-KZ', 'en', 'kk'],
    ['en-GB,en;q=0.9', 'ru', 'en'],
    ['fr-FR,kk;q=0.5', 'en', 'kk'],
    ['de, ru;q=0.1, kk;q=0.2', 'en', 'kk'],
    ['ru;q=0, kk', 'en', 'kk'],
    ['be', 'en', 'ru'],
    ['fr-FR,fr;q=0.9', 'ru', 'ru'],
    ['*', 'kk', 'kk'],
    ['not a language header;;;', 'ru', 'ru'],
    ['', 'kk', 'kk'],
    [undefined, 'ru', 'ru'],
  ] as const)('%j with fallback %j → %j', (header, fallback, expected) => {
    expect(negotiateLanguage(header, fallback)).toBe(expected);
  });
});

describe('matchLanguage', () => {
  it.each([
    ['ru', ['en', 'ru', 'kk'], 'ru'],
    ['RU', ['en', 'ru'], 'ru'],
    ['ru-KZ', ['en', 'ru'], 'ru'],
    ['ru', ['en', 'ru-KZ'], 'ru-KZ'],
    ['ru-RU', ['en', 'ru-KZ', 'ru-RU'], 'ru-RU'],
    ['ru-RU', ['en', 'ru-KZ', 'ru'], 'ru'],
    ['fr', ['en', 'ru'], null],
    ['sr-Latn', ['sr-Cyrl', 'sr-Latn'], 'sr-Latn'],
  ])('answers %s from %j with %s', (wanted, available, expected) => {
    expect(matchLanguage(wanted, available)).toBe(expected);
  });
});
