import { chooseLanguage, language, setLanguage, t } from './i18n';

const polling = (seconds: number) => t('web.live.polling', { seconds });

describe('the pages’ messages', () => {
  afterEach(() => setLanguage('en'));

  it.each([
    [1, 'Проверяем изменения каждую 1 секунду.'], // one
    [21, 'Проверяем изменения каждую 21 секунду.'], // one
    [3, 'Проверяем изменения каждые 3 секунды.'], // few
    [22, 'Проверяем изменения каждые 22 секунды.'], // few
    [5, 'Проверяем изменения каждые 5 секунд.'], // many
    [11, 'Проверяем изменения каждые 11 секунд.'], // many
    [1.5, 'Проверяем изменения каждые 1,5 секунды.'], // other, and the decimal comma of Russian
  ])('says %s in Russian with the plural form its number takes: %s', (seconds, text) => {
    setLanguage('ru');
    expect(polling(seconds)).toBe(text);
  });

  it('counts webhooks and subscribers in Russian with one, few and many', () => {
    setLanguage('ru');
    expect(t('web.publish.reach', { webhooks: 1, emails: 2 })).toBe(
      'Адресаты: 1 вебхук и 2 подписчика по почте.',
    );
    expect(t('web.publish.reach', { webhooks: 5, emails: 21 })).toBe(
      'Адресаты: 5 вебхуков и 21 подписчик по почте.',
    );
    expect(t('web.publish.reach', { webhooks: 1000, emails: 11 })).toBe(
      'Адресаты: 1\u00a0000 вебхуков и 11 подписчиков по почте.',
    );
  });

  it('says English and Kazakh plurals with their own forms and digits grouping', () => {
    expect(polling(1)).toBe('Checking for changes every second.');
    expect(polling(5)).toBe('Checking for changes every 5 seconds.');
    expect(t('web.publish.reach', { webhooks: 1, emails: 1200 })).toBe(
      'It will reach 1 webhook endpoint and 1,200 email subscribers.',
    );
    setLanguage('kk');
    expect(polling(5)).toBe('Өзгерістер әр 5 секунд сайын тексеріледі.');
  });

  it('uses the language asked for over the pages’ own, for the switch that names each language in itself', () => {
    setLanguage('ru');
    expect([t('web.language.selfShort', undefined, 'kk'), t('web.language.selfShort')]).toEqual([
      'қаз',
      'рус',
    ]);
  });

  it('refuses a key the English catalog lacks, rather than showing it', () => {
    expect(() => t('web.no.such.key')).toThrow('no message "web.no.such.key"');
  });
});

describe('chooseLanguage', () => {
  const clues = { search: '', cookie: '', served: 'en' };

  it.each([
    ['?lang= first', { ...clues, search: '?area=KZ&lang=kk', cookie: 'tocsin_lang=ru', served: 'ru' }, 'kk'],
    ['a region subtag names its language', { ...clues, search: '?lang=ru-RU' }, 'ru'],
    [
      'the cookie when ?lang= names no language of ours',
      { ...clues, search: '?lang=fr', cookie: 'a=b; tocsin_lang=kk' },
      'kk',
    ],
    ['what the server chose from Accept-Language', { ...clues, served: 'ru' }, 'ru'],
    ['English when nothing says', { search: '', cookie: '', served: null }, 'en'],
  ] as const)('%s', (_case, given, expected) => {
    expect(chooseLanguage(given)).toBe(expected);
  });

  it('starts in English', () => {
    expect(language()).toBe('en');
  });
});
