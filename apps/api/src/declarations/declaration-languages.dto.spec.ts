import { ValidationProblem } from '../http/problem.filter';
import { validationPipe } from '../http/validation';
import { PublishDeclarationDto } from './declaration.dto';
import { MAX_TRANSLATIONS } from './declaration-languages.dto';

const valid = {
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ'],
  headline: 'Critical',
  summary: 'Summary.',
  authority: 'Anti-Terrorist Centre',
};

const publish = (body: Record<string, unknown>) =>
  validationPipe().transform(body, { type: 'body', metatype: PublishDeclarationDto });

/** The field errors of a body the pipe refuses. */
async function errorsOf(body: Record<string, unknown>): Promise<{ field: string; message: string }[]> {
  const refused: unknown = await publish(body).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(ValidationProblem);
  return (refused as ValidationProblem).errors;
}

describe('PublishDeclarationDto: language and translations', () => {
  it('stores tags in canonical form and trims translated headlines and summaries', async () => {
    const dto = (await publish({
      ...valid,
      language: 'KK-kz',
      translations: {
        'ru-ru': { headline: '  Критический  ', summary: ' Возможны теракты. ', measures: [' как есть '] },
        EN: { headline: 'Critical' },
        'sr-latn': { summary: 'Mogući su napadi.' },
      },
    })) as PublishDeclarationDto;
    expect(dto.language).toBe('kk-KZ');
    expect(dto.translations).toEqual({
      'ru-RU': { headline: 'Критический', summary: 'Возможны теракты.', measures: [' как есть '] },
      en: { headline: 'Critical' },
      'sr-Latn': { summary: 'Mogući su napadi.' },
    });
  });

  it('takes neither, leaving the defaults to the service', async () => {
    const dto = (await publish(valid)) as PublishDeclarationDto;
    expect(dto.language).toBeUndefined();
    expect(dto.translations).toBeUndefined();
  });

  it.each([
    ['an underscore', 'en_US'],
    ['a wildcard', '*'],
    ['an empty tag', ''],
    ['a subtag longer than eight letters', 'en-kazakhstan'],
    ['a number', 7],
  ])('refuses a language with %s', async (_case, language) => {
    expect(await errorsOf({ ...valid, language })).toEqual([
      { field: 'language', message: 'must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS' },
    ]);
  });

  const translationsRefused = async (translations: unknown, extra: Record<string, unknown> = {}) => {
    const errors = await errorsOf({ ...valid, ...extra, translations });
    expect(errors.map((e) => e.field)).toEqual(['translations']);
    return errors[0].message;
  };

  it.each([
    ['an array', [{ headline: 'x' }], 'must be an object keyed by language tag'],
    ['a string', 'ru', 'must be an object keyed by language tag'],
    ['a key that is no tag', { ru_RU: { headline: 'x' } }, 'key "ru_RU" must be a BCP 47 language tag'],
    [
      'one language twice',
      { ru: { headline: 'x' }, RU: { headline: 'y' } },
      'keys "ru" and "RU" name one language',
    ],
    ['a translation that is no object', { ru: 'Критический' }, 'ru must be an object of headline, summary'],
    ['an empty translation', { ru: {} }, 'ru must have at least one of headline, summary and measures'],
    ['an unknown field', { ru: { headline: 'x', title: 'y' } }, 'ru.title should not exist'],
    ['a blank headline', { ru: { headline: '   ' } }, 'ru.headline must be 1 to 200 characters long'],
    ['a headline too long', { ru: { headline: 'я'.repeat(201) } }, 'ru.headline must be 1 to 200'],
    ['a summary too long', { kk: { summary: 'ә'.repeat(5001) } }, 'kk.summary must be 1 to 5000'],
    ['a summary that is a number', { kk: { summary: 5 } }, 'kk.summary must be a string'],
    ['measures that are a string', { kk: { measures: 'Досмотр' } }, 'kk.measures must be an array'],
    ['too many measures', { kk: { measures: Array(51).fill('x') } }, 'kk.measures must have at most 50'],
    ['an empty measure', { kk: { measures: ['ok', ''] } }, 'kk.measures.1 must be 1 to 1000'],
    ['a measure too long', { kk: { measures: ['ә'.repeat(1001)] } }, 'kk.measures.0 must be 1 to 1000'],
  ])('refuses translations with %s', async (_case, translations, message) => {
    expect(await translationsRefused(translations)).toContain(message);
  });

  it('counts a character outside the BMP once, as the original headline does', async () => {
    const dto = (await publish({
      ...valid,
      headline: '🚨'.repeat(200),
      translations: { ru: { headline: '🚨'.repeat(200) } },
    })) as PublishDeclarationDto;
    expect(dto.translations?.ru.headline).toHaveLength(400);
  });

  it("refuses a translation into the declaration's own language, in any spelling", async () => {
    expect(await translationsRefused({ 'EN-gb': { headline: 'x' } }, { language: 'en-GB' })).toBe(
      'key "en-GB" is the declaration\'s own language, whose texts are the original',
    );
  });

  it(`refuses more than ${MAX_TRANSLATIONS} languages`, async () => {
    const many = ['ar', 'be', 'bg', 'cs', 'da', 'de', 'el', 'es', 'et', 'fi', 'fr', 'he', 'hu', 'hy'];
    const more = ['it', 'ja', 'ka', 'ko', 'ky', 'lt', 'lv'];
    const translations = Object.fromEntries([...many, ...more].map((tag) => [tag, { headline: tag }]));
    expect(await translationsRefused(translations)).toBe('must have at most 20 languages (got 21)');
    delete translations.lv;
    await expect(publish({ ...valid, translations })).resolves.toBeInstanceOf(PublishDeclarationDto);
  });

  it('names every problem of the translations at once', async () => {
    const message = await translationsRefused({ xx_1: {}, ru: { headline: '' }, kk: { summary: 1 } });
    expect(message.split('; ')).toEqual([
      'key "xx_1" must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS',
      'ru.headline must be 1 to 200 characters long',
      'kk.summary must be a string',
    ]);
  });
});
