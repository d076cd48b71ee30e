import { BUILTIN_SCHEMES } from './builtin-schemes';
import { Scheme } from './scheme';
import { levelText, levelTitle, mergeTranslations, schemeText, translationFor } from './scheme-texts';

const builtin = (id: string): Scheme => BUILTIN_SCHEMES.find((s) => s.id === id)!;
const level = (scheme: Scheme, code: string) => scheme.levels.find((l) => l.code === code)!;
const kz = builtin('kz-terror');

describe('translationFor', () => {
  const translations = { ru: 'ru', 'pt-BR': 'pt-BR', 'sr-Latn': 'sr-Latn', 'zh-Hant-TW': 'zh-Hant-TW' };
  it.each([
    ['ru', 'ru'],
    ['ru-RU', 'ru'],
    ['RU', 'ru'],
    ['pt-BR', 'pt-BR'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['sr-latn', 'sr-Latn'],
    ['zh', 'zh-Hant-TW'],
    ['kk', undefined],
    ['', undefined],
  ])('%j → %j', (lang, expected) => {
    expect(translationFor(translations, lang)).toBe(expected);
  });

  it('prefers the exact tag over another of its language', () => {
    expect(translationFor({ 'ru-KZ': 1, ru: 2, 'ru-RU': 3 }, 'ru-RU')).toBe(3);
    expect(translationFor({ 'ru-KZ': 1, ru: 2 }, 'ru-BY')).toBe(2);
    expect(translationFor(undefined, 'ru')).toBeUndefined();
  });
});

describe('schemeText', () => {
  it.each([
    ['en', 'Kazakhstan terrorism threat levels', 'terrorism threat level'],
    ['ru', 'Уровни террористической опасности Республики Казахстан', 'уровень террористической опасности'],
    ['ru-KZ', 'Уровни террористической опасности Республики Казахстан', 'уровень террористической опасности'],
    ['kk', 'Қазақстан Республикасының террористік қауіп деңгейлері', 'террористік қауіп деңгейі'],
    ['fr', 'Kazakhstan terrorism threat levels', 'terrorism threat level'],
  ])('kz-terror in %s', (lang, name, event) => {
    expect(schemeText(kz, lang)).toMatchObject({ name, event });
  });

  it('falls back field by field to the original', () => {
    const scheme = {
      name: 'N',
      event: 'E',
      description: 'D',
      translations: { ru: { name: 'Имя', event: ' ' } },
    };
    expect(schemeText(scheme, 'ru')).toEqual({ name: 'Имя', event: 'E', description: 'D' });
    expect(schemeText({ ...scheme, translations: undefined }, 'ru')).toEqual({
      name: 'N',
      event: 'E',
      description: 'D',
    });
  });
});

describe('levelText', () => {
  it.each([
    ['yellow', 'en', 'Moderate'],
    ['yellow', 'ru', 'умеренный («желтый»)'],
    ['yellow', 'kk', 'қалыпты («сары»)'],
    ['orange', 'ru', 'высокий («оранжевый»)'],
    ['orange', 'kk', 'жоғары («қызғылт сары»)'],
    ['red', 'ru', 'критический («красный»)'],
    ['red', 'kk', 'қатерлі («қызыл»)'],
    ['red', 'de', 'Critical'],
  ])('kz-terror %s in %s is %j', (code, lang, name) => {
    expect(levelText(level(kz, code), lang).name).toBe(name);
  });

  it('gives the measures of the language, else the original ones', () => {
    const red = level(kz, 'red');
    expect(levelText(red, 'ru').measures).toHaveLength(red.measures.length);
    expect(levelText(red, 'ru').measures[0]).toMatch(/досмотр/);
    const partial = { ...red, translations: { ru: { name: 'красный' } } };
    expect(levelText(partial, 'ru')).toEqual({
      name: 'красный',
      description: red.description,
      measures: red.measures,
    });
  });

  it.each([
    ['fr-vigipirate', 'urgence-attentat', 'fr', 'Urgence attentat'],
    ['fr-vigipirate', 'vigilance', 'fr-FR', 'Vigilance'],
    ['nl-nctv', '5', 'nl', 'Kritiek'],
    ['nl-nctv', '4', 'nl-BE', 'Substantieel'],
    ['nl-nctv', '4', 'en', 'Substantial'],
  ])('%s %s in %s is %j', (id, code, lang, name) => {
    expect(levelText(level(builtin(id), code), lang).name).toBe(name);
  });
});

describe('levelTitle', () => {
  it.each([
    ['ru', 'red', 'уровень террористической опасности: критический (красный)'],
    ['ru', 'orange', 'уровень террористической опасности: высокий (оранжевый)'],
    ['kk', 'red', 'террористік қауіп деңгейі: қатерлі (қызыл)'],
    ['kk', 'orange', 'террористік қауіп деңгейі: жоғары (қызғылт сары)'],
    ['en', 'red', 'terrorism threat level: Critical'],
    ['fr', 'yellow', 'terrorism threat level: Moderate'],
  ])('kz-terror in %s, %s: %j', (lang, code, title) => {
    expect(levelTitle(kz, level(kz, code), lang)).toBe(title);
  });

  it('reads the Russian email subject of the issue', () => {
    expect(`Казахстан — ${levelTitle(kz, level(kz, 'red'), 'ru')}`).toBe(
      'Казахстан — уровень террористической опасности: критический (красный)',
    );
  });

  it('uses the translations of a language Tocsin has no catalog for', () => {
    const vigipirate = builtin('fr-vigipirate');
    expect(levelTitle(vigipirate, level(vigipirate, 'urgence-attentat'), 'fr')).toBe(
      'niveau Vigipirate: Urgence attentat',
    );
  });
});

describe('mergeTranslations', () => {
  it.each([
    [{ ru: { name: 'a' } }, undefined, { ru: { name: 'a' } }],
    [{ ru: { name: 'a' } }, { kk: { name: 'b' } }, { ru: { name: 'a' }, kk: { name: 'b' } }],
    [
      { ru: { name: 'a' }, kk: { name: 'b' } },
      { ru: { name: 'c' } },
      { ru: { name: 'c' }, kk: { name: 'b' } },
    ],
    [{ ru: { name: 'a' }, kk: { name: 'b' } }, { ru: null }, { kk: { name: 'b' } }],
    [{ 'ru-ru': { name: 'a' } }, { 'RU-ru': { name: 'c' } }, { 'ru-RU': { name: 'c' } }],
    [undefined, { nl: null }, {}],
  ])('%j with %j → %j', (current, changes, expected) => {
    expect(mergeTranslations<{ name: string }>(current, changes)).toEqual(expected);
  });
});
