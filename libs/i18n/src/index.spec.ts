import { translate } from './index';

describe('translate (the catalogs on disk)', () => {
  it.each([
    [
      'en',
      'common.levelTitle',
      { event: 'terrorism threat level', level: 'Critical' },
      'terrorism threat level: Critical',
    ],
    ['en', 'common.declarationCount', { count: 1 }, '1 declaration'],
    ['ru', 'common.declarationCount', { count: 2 }, '2 объявления'],
    ['ru', 'common.declarationCount', { count: 11 }, '11 объявлений'],
    ['ru', 'common.declarationCount', { count: 101 }, '101 объявление'],
    ['kk', 'common.declarationCount', { count: 5 }, '5 хабарландыру'],
    ['ru', 'common.noLevel', undefined, 'Уровень не введён'],
    ['kk', 'common.everywhere', undefined, 'Барлық жерде'],
  ] as const)('%s %s %j → %j', (lang, key, values, expected) => {
    expect(translate(lang, key, values)).toBe(expected);
  });
});
