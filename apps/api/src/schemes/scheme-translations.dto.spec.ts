import { ArgumentMetadata } from '@nestjs/common';
import { LanguageQuery } from '../areas/area.dto';
import { ValidationProblem } from '../http/problem.filter';
import { validationPipe } from '../http/validation';
import { CreateSchemeDto, UpdateSchemeDto } from './scheme.dto';

const level = (code: string, rank: number) => ({
  code,
  rank,
  name: code,
  color: null,
  description: 'd',
  measures: ['m'],
  capSeverity: 'Minor',
});
const valid = {
  id: 'acme',
  name: 'ACME',
  event: 'site alert level',
  description: 'Internal.',
  authority: 'ACME',
  levels: [level('low', 1), level('high', 2)],
};

const run = (
  body: unknown,
  metatype: ArgumentMetadata['metatype'],
  type: ArgumentMetadata['type'] = 'body',
) => validationPipe().transform(body, { type, metatype });

async function errorsOf(
  body: unknown,
  metatype: ArgumentMetadata['metatype'],
  type?: ArgumentMetadata['type'],
) {
  const refused: unknown = await run(body, metatype, type).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(ValidationProblem);
  return (refused as ValidationProblem).errors;
}

describe('CreateSchemeDto translations', () => {
  it('takes scheme and level translations, tags made canonical', async () => {
    const dto = (await run(
      {
        ...valid,
        translations: { 'RU-ru': { name: 'АКМЕ', event: 'уровень тревоги' } },
        levels: [
          { ...level('low', 1), translations: { kk: { name: 'төмен', measures: ['a', 'b'] } } },
          level('high', 2),
        ],
      },
      CreateSchemeDto,
    )) as CreateSchemeDto;
    expect(dto.translations).toEqual({ 'ru-RU': { name: 'АКМЕ', event: 'уровень тревоги' } });
    expect(dto.levels[0].translations).toEqual({ kk: { name: 'төмен', measures: ['a', 'b'] } });
  });

  it.each([
    ['an array', [{ name: 'x' }], 'must be an object keyed by language tag'],
    ['a key that is no tag', { ru_RU: { name: 'x' } }, 'key "ru_RU" must be a BCP 47 language tag'],
    ['one language twice', { ru: { name: 'x' }, RU: { name: 'y' } }, 'keys "ru" and "RU" name one language'],
    ['an empty translation', { ru: {} }, 'ru must have at least one of name, event and description'],
    ['a field a scheme has not', { ru: { name: 'x', measures: ['m'] } }, 'ru.measures should not exist'],
    ['a name too long', { ru: { name: 'x'.repeat(201) } }, 'ru.name must be 1 to 200 characters long'],
    ['an empty event', { ru: { event: '' } }, 'ru.event must be 1 to 100 characters long'],
    ['a number', { ru: { name: 5 } }, 'ru.name must be a string'],
    ['a removal', { ru: null }, 'ru must be an object of name, event and description'],
  ])('refuses scheme translations with %s', async (_case, translations, message) => {
    const errors = await errorsOf({ ...valid, translations }, CreateSchemeDto);
    expect(errors.map((e) => e.field)).toEqual(['translations']);
    expect(errors[0].message).toContain(message);
  });

  it.each([
    ['too many measures', { ru: { measures: Array.from({ length: 31 }, () => 'm') } }, 'at most 30 items'],
    [
      'a measure too long',
      { ru: { measures: ['x'.repeat(501)] } },
      'ru.measures.0 must be 1 to 500 characters long',
    ],
    ['an event', { ru: { event: 'x' } }, 'ru.event should not exist'],
  ])('refuses level translations with %s', async (_case, translations, message) => {
    const errors = await errorsOf(
      { ...valid, levels: [{ ...level('low', 1), translations }, level('high', 2)] },
      CreateSchemeDto,
    );
    expect(errors.map((e) => e.field)).toEqual(['levels.0.translations']);
    expect(errors[0].message).toContain(message);
  });

  it('refuses more than 20 languages', async () => {
    const tags = [
      'ab',
      'af',
      'am',
      'ar',
      'az',
      'be',
      'bg',
      'bn',
      'ca',
      'cs',
      'cy',
      'da',
      'de',
      'el',
      'es',
      'et',
      'eu',
      'fa',
      'fi',
      'fr',
      'ga',
    ];
    const translations = Object.fromEntries(tags.map((tag) => [tag, { name: tag }]));
    expect((await errorsOf({ ...valid, translations }, CreateSchemeDto))[0].message).toBe(
      'must have at most 20 languages (got 21)',
    );
  });
});

describe('UpdateSchemeDto translations', () => {
  it('takes null for a language to drop, for the scheme and a level', async () => {
    const dto = (await run(
      {
        translations: { ru: null, kk: { name: 'x' } },
        levels: [{ code: 'low', translations: { ru: null } }],
      },
      UpdateSchemeDto,
    )) as UpdateSchemeDto;
    expect(dto.translations).toEqual({ ru: null, kk: { name: 'x' } });
    expect(dto.levels?.[0].translations).toEqual({ ru: null });
  });

  it('still refuses a key that is no tag', async () => {
    const errors = await errorsOf(
      { levels: [{ code: 'low', translations: { 'e n': null } }] },
      UpdateSchemeDto,
    );
    expect(errors).toEqual([
      {
        field: 'levels.0.translations',
        message: 'key "e n" must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS',
      },
    ]);
  });
});

describe('LanguageQuery', () => {
  it.each([
    ['ru', 'ru'],
    ['RU-ru', 'ru-RU'],
    ['kk-cyrl-kz', 'kk-Cyrl-KZ'],
    ['fr', 'fr'],
  ])('takes ?lang=%s as %s', async (lang, canonical) => {
    expect(((await run({ lang }, LanguageQuery, 'query')) as LanguageQuery).lang).toBe(canonical);
  });

  it.each(['en_US', '', '*', 'русский'])('refuses ?lang=%j', async (lang) => {
    expect(await errorsOf({ lang }, LanguageQuery, 'query')).toEqual([
      { field: 'lang', message: 'must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS' },
    ]);
  });
});
