// `translations` of a scheme and of its levels: keys are BCP 47 tags (stored canonical), values hold only the
// texts a translation may carry, bounded as the original's are. PATCH may give a language `null` to drop it.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { canonicalLanguage } from '@tocsin/i18n';
import { length, ValidateBy } from 'class-validator';

/** The most languages a scheme or a level carries. */
export const MAX_SCHEME_TRANSLATIONS = 20;

/** The texts a translation holds and their bounds, the same as the original's (see scheme.dto.ts). */
export interface TranslationShape {
  texts: Readonly<Record<string, number>>;
  list?: { field: string; items: number; length: number };
}

export const SCHEME_TRANSLATION: TranslationShape = { texts: { name: 200, event: 100, description: 4000 } };
export const LEVEL_TRANSLATION: TranslationShape = {
  texts: { name: 200, description: 2000 },
  list: { field: 'measures', items: 30, length: 500 },
};

const TAG_MESSAGE = 'must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fieldsOf = (shape: TranslationShape): string[] => [
  ...Object.keys(shape.texts),
  ...(shape.list ? [shape.list.field] : []),
];

/** Translations with canonical tags; anything not plainly right is left as it came, for the validator to name. */
export const toCanonicalTranslations = ({ value }: { value: unknown }): unknown => {
  if (!isRecord(value) || Object.keys(value).length > MAX_SCHEME_TRANSLATIONS) return value;
  const canonical: Record<string, unknown> = {};
  for (const [tag, translation] of Object.entries(value)) {
    const key = canonicalLanguage(tag);
    if (key === null || Object.hasOwn(canonical, key)) return value;
    canonical[key] = translation;
  }
  return canonical;
};

const lengthProblem = (text: unknown, max: number): string | null =>
  typeof text !== 'string'
    ? 'must be a string'
    : length(text, 1, max)
      ? null
      : `must be 1 to ${max} characters long`;

function translationProblems(tag: string, translation: unknown, shape: TranslationShape): string[] {
  const fields = fieldsOf(shape);
  if (!isRecord(translation)) return [`${tag} must be an object of ${fields.join(', ')}`];
  const given = Object.keys(translation);
  if (!given.length) return [`${tag} must have at least one of ${fields.join(', ')}`];
  const problems = given
    .filter((field) => !fields.includes(field))
    .map((field) => `${tag}.${field} should not exist (a translation has ${fields.join(', ')})`);
  for (const [field, max] of Object.entries(shape.texts)) {
    if (!(field in translation)) continue;
    const problem = lengthProblem(translation[field], max);
    if (problem) problems.push(`${tag}.${field} ${problem}`);
  }
  const list = shape.list;
  if (list && list.field in translation) {
    const items = translation[list.field];
    if (!Array.isArray(items)) problems.push(`${tag}.${list.field} must be an array of strings`);
    else if (items.length > list.items)
      problems.push(`${tag}.${list.field} must have at most ${list.items} items`);
    else
      items.forEach((item, i) => {
        const problem = lengthProblem(item, list.length);
        if (problem) problems.push(`${tag}.${list.field}.${i} ${problem}`);
      });
  }
  return problems;
}

/** What is wrong with `translations`, each problem naming its place; none when they are right. */
export function schemeTranslationsProblems(
  translations: unknown,
  shape: TranslationShape,
  options: { removable?: boolean } = {},
): string[] {
  if (!isRecord(translations)) return ['must be an object keyed by language tag'];
  const tags = Object.keys(translations);
  if (tags.length > MAX_SCHEME_TRANSLATIONS)
    return [`must have at most ${MAX_SCHEME_TRANSLATIONS} languages (got ${tags.length})`];
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const tag of tags) {
    const canonical = canonicalLanguage(tag);
    const earlier = canonical === null ? undefined : seen.get(canonical);
    if (canonical === null) problems.push(`key ${JSON.stringify(tag)} ${TAG_MESSAGE}`);
    else if (earlier !== undefined)
      problems.push(`keys ${JSON.stringify(earlier)} and ${JSON.stringify(tag)} name one language`);
    else {
      seen.set(canonical, tag);
      if (options.removable && translations[tag] === null) continue;
      problems.push(...translationProblems(tag, translations[tag], shape));
    }
  }
  return problems;
}

/** `removable`: a language may be `null`, which a PATCH reads as "drop this language". */
export const AreTranslations = (shape: TranslationShape, options: { removable?: boolean } = {}) =>
  ValidateBy({
    name: 'areTranslations',
    validator: {
      validate: (value: unknown) => schemeTranslationsProblems(value, shape, options).length === 0,
      // class-validator allows one message per rule: every problem, in one.
      defaultMessage: (args) => schemeTranslationsProblems(args?.value, shape, options).join('; '),
    },
  });

/** One scheme translation, for the OpenAPI document. */
export class SchemeTranslationDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Уровни террористической опасности Республики Казахстан' })
  name?: string;
  @ApiPropertyOptional({ maxLength: 100, example: 'уровень террористической опасности' }) event?: string;
  @ApiPropertyOptional({ maxLength: 4000 }) description?: string;
}

/** One level translation, for the OpenAPI document. */
export class LevelTranslationDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'критический («красный»)' }) name?: string;
  @ApiPropertyOptional({ maxLength: 2000 }) description?: string;
  @ApiPropertyOptional({ type: [String], maxItems: 30 }) measures?: string[];
}
