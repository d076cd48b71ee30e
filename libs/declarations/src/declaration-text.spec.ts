import { declarationLanguages, textIn } from './declaration-text';

const declaration = {
  language: 'en',
  headline: 'Critical (red) terrorism threat level',
  summary: 'Repeat attacks are possible.',
  measures: ['People may be searched.'],
  translations: {
    ru: {
      headline: 'Критический («красный») уровень террористической опасности',
      summary: 'Возможны повторные теракты.',
      measures: ['Возможен досмотр граждан.'],
    },
    kk: { headline: 'Террористік қауіптің қызыл деңгейі' },
  },
};

describe('declarationLanguages', () => {
  it('lists the original language first, then the translations alphabetically', () => {
    expect(declarationLanguages(declaration)).toEqual(['en', 'kk', 'ru']);
    expect(declarationLanguages({ language: 'kk', translations: {} })).toEqual(['kk']);
  });
});

describe('textIn', () => {
  it('gives the translation of a language the declaration has', () => {
    expect(textIn(declaration, 'ru')).toEqual({
      language: 'ru',
      translated: true,
      ...declaration.translations.ru,
    });
  });

  it('takes a field the translation leaves out from the original', () => {
    expect(textIn(declaration, 'kk-KZ')).toEqual({
      language: 'kk',
      translated: true,
      headline: 'Террористік қауіптің қызыл деңгейі',
      summary: declaration.summary,
      measures: declaration.measures,
    });
  });

  it('gives the original for its own language and for a language it lacks', () => {
    const original = {
      language: 'en',
      translated: false,
      headline: declaration.headline,
      summary: declaration.summary,
      measures: declaration.measures,
    };
    expect(textIn(declaration, 'en-GB')).toEqual(original);
    expect(textIn(declaration, 'fr')).toEqual(original);
  });
});
