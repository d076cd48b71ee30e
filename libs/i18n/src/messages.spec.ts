import { Catalogs, createTranslator, mergeCatalogs } from './messages';

const catalogs: Catalogs = {
  common: {
    en: {
      'common.hello': 'Hello, {name}',
      'common.count': '{count, plural, one {# alert} other {# alerts}}',
      'common.onlyEnglish': 'Only in English',
      'common.markup': '<b>{name}</b>',
    },
    ru: {
      'common.hello': 'Здравствуйте, {name}',
      'common.count':
        '{count, plural, one {# оповещение} few {# оповещения} many {# оповещений} other {# оповещения}}',
    },
    kk: { 'common.hello': 'Сәлеметсіз бе, {name}' },
  },
  email: { en: { 'email.subject': '{area} — {level}' }, ru: { 'email.subject': '{area} — {level}!' } },
};

describe('createTranslator', () => {
  const translate = createTranslator(catalogs);

  it.each([
    ['en', 'common.hello', { name: 'Aigerim' }, 'Hello, Aigerim'],
    ['ru', 'common.hello', { name: 'Айгерим' }, 'Здравствуйте, Айгерим'],
    ['kk', 'common.hello', { name: 'Айгерім' }, 'Сәлеметсіз бе, Айгерім'],
    ['en', 'common.count', { count: 1 }, '1 alert'],
    ['en', 'common.count', { count: 2 }, '2 alerts'],
    ['ru', 'common.count', { count: 1 }, '1 оповещение'],
    ['ru', 'common.count', { count: 3 }, '3 оповещения'],
    ['ru', 'common.count', { count: 5 }, '5 оповещений'],
    ['ru', 'common.count', { count: 21 }, '21 оповещение'],
    ['ru', 'common.count', { count: 1.5 }, '1,5 оповещения'],
    ['kk', 'common.onlyEnglish', undefined, 'Only in English'],
    ['ru', 'email.subject', { area: 'Казахстан', level: 'красный' }, 'Казахстан — красный!'],
    ['en', 'common.markup', { name: 'x' }, '<b>x</b>'],
  ] as const)('%s %s %j → %j', (lang, key, values, expected) => {
    expect(translate(lang, key, values)).toBe(expected);
  });

  it('falls back per key: a language lacking a key takes English for it only', () => {
    expect(translate('kk', 'common.count', { count: 2 })).toBe('2 alerts');
    expect(translate('kk', 'common.hello', { name: 'A' })).toBe('Сәлеметсіз бе, A');
  });

  it('throws for a key no catalog has', () => {
    expect(() => translate('en', 'common.nope')).toThrow('no message "common.nope"');
  });

  it('throws when a value the message needs is missing', () => {
    expect(() => translate('en', 'common.hello')).toThrow();
  });
});

describe('mergeCatalogs', () => {
  it('merges namespaces per language', () => {
    const merged = mergeCatalogs(catalogs);
    expect([...merged.ru.keys()].sort()).toEqual(['common.count', 'common.hello', 'email.subject']);
    expect(merged.kk.size).toBe(1);
  });

  it('refuses a key present in two namespaces', () => {
    expect(() => mergeCatalogs({ a: { en: { 'x.y': '1' } }, b: { en: { 'x.y': '2' } } })).toThrow(
      'in both the "a" and "b" catalogs',
    );
  });
});
