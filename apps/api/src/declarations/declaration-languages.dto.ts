// A declaration's `language` and `translations`: BCP 47 tags in canonical form, each translation's texts
// bounded as the original's are. Text the database cannot store (U+0000, a lone surrogate) is refused before
// validation for every field alike (see ../http/storable-text.ts).
import { ApiPropertyOptional } from '@nestjs/swagger';
import { canonicalLanguage } from '@tocsin/i18n';
import { length, ValidateBy, ValidationArguments } from 'class-validator';

/** Bounds of a declaration's texts, for the original and every translation alike. */
export const TEXT_LIMITS = {
  headline: 200,
  summary: 5000,
  measures: 50,
  measure: 1000,
} as const;

/** The most translations a declaration carries: many more languages than any authority publishes in. */
export const MAX_TRANSLATIONS = 20;

const TRANSLATION_FIELDS = ['headline', 'summary', 'measures'] as const;
const TAG_MESSAGE = 'must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The canonical form of a tag given as a string, or the value as it came (for the validator to refuse). */
export const toCanonicalLanguage = ({ value }: { value: unknown }): unknown =>
  (typeof value === 'string' && canonicalLanguage(value)) || value;

/**
 * Translations with canonical tags and trimmed headline and summary (as the original's are). Anything that is
 * not plainly right — a key that is no tag, two keys of one tag — is left as it came, for the validator to
 * name what is wrong.
 */
export const toCanonicalTranslations = ({ value }: { value: unknown }): unknown => {
  if (!isRecord(value) || Object.keys(value).length > MAX_TRANSLATIONS) return value;
  const canonical: Record<string, unknown> = {};
  for (const [tag, translation] of Object.entries(value)) {
    const key = canonicalLanguage(tag);
    if (key === null || Object.hasOwn(canonical, key)) return value;
    canonical[key] = isRecord(translation)
      ? Object.fromEntries(
          Object.entries(translation).map(([field, text]) => [
            field,
            (field === 'headline' || field === 'summary') && typeof text === 'string' ? text.trim() : text,
          ]),
        )
      : translation;
  }
  return canonical;
};

const lengthProblem = (text: unknown, max: number): string | null =>
  typeof text !== 'string'
    ? 'must be a string'
    : // Counted as the original's @Length counts: a surrogate pair is one character.
      length(text, 1, max)
      ? null
      : `must be 1 to ${max} characters long`;

/** What is wrong with one translation's texts, each naming its field (`ru.headline`). */
function translationProblems(tag: string, translation: unknown): string[] {
  if (!isRecord(translation)) return [`${tag} must be an object of headline, summary and measures`];
  const fields = Object.keys(translation);
  if (!fields.length) return [`${tag} must have at least one of headline, summary and measures`];
  const problems = fields
    .filter((field) => !(TRANSLATION_FIELDS as readonly string[]).includes(field))
    .map((field) => `${tag}.${field} should not exist (a translation has headline, summary and measures)`);
  for (const field of ['headline', 'summary'] as const) {
    if (!(field in translation)) continue;
    const problem = lengthProblem(translation[field], TEXT_LIMITS[field]);
    if (problem) problems.push(`${tag}.${field} ${problem}`);
  }
  if ('measures' in translation) {
    const measures = translation.measures;
    if (!Array.isArray(measures)) problems.push(`${tag}.measures must be an array of strings`);
    else if (measures.length > TEXT_LIMITS.measures)
      problems.push(`${tag}.measures must have at most ${TEXT_LIMITS.measures} items`);
    else {
      measures.forEach((measure, i) => {
        const problem = lengthProblem(measure, TEXT_LIMITS.measure);
        if (problem) problems.push(`${tag}.measures.${i} ${problem}`);
      });
    }
  }
  return problems;
}

/**
 * What is wrong with the `translations` of a declaration in `language` (when given: the default is the
 * service's, which checks it too), each problem naming its place; none when it is right.
 */
export function translationsProblems(translations: unknown, language?: unknown): string[] {
  if (!isRecord(translations)) return ['must be an object keyed by language tag'];
  const tags = Object.keys(translations);
  if (tags.length > MAX_TRANSLATIONS)
    return [`must have at most ${MAX_TRANSLATIONS} languages (got ${tags.length})`];
  const original = typeof language === 'string' ? canonicalLanguage(language) : null;
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const tag of tags) {
    const canonical = canonicalLanguage(tag);
    const earlier = canonical === null ? undefined : seen.get(canonical);
    if (canonical === null) problems.push(`key ${JSON.stringify(tag)} ${TAG_MESSAGE}`);
    else if (earlier !== undefined)
      problems.push(`keys ${JSON.stringify(earlier)} and ${JSON.stringify(tag)} name one language`);
    else if (canonical === original)
      problems.push(
        `key ${JSON.stringify(tag)} is the declaration's own language, whose texts are the original`,
      );
    else {
      seen.set(canonical, tag);
      problems.push(...translationProblems(tag, translations[tag]));
    }
  }
  return problems;
}

export const IsLanguageTag = () =>
  ValidateBy({
    name: 'isLanguageTag',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && canonicalLanguage(value) === value,
      defaultMessage: () => TAG_MESSAGE,
    },
  });

export const AreDeclarationTranslations = () =>
  ValidateBy({
    name: 'areDeclarationTranslations',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        translationsProblems(value, languageOf(args)).length === 0,
      // class-validator allows one message per rule: every problem, in one.
      defaultMessage: (args?: ValidationArguments) =>
        translationsProblems(args?.value, languageOf(args)).join('; '),
    },
  });

const languageOf = (args: ValidationArguments | undefined): unknown =>
  (args?.object as { language?: unknown } | undefined)?.language;

/** One translation, for the OpenAPI document. */
export class DeclarationTranslationDto {
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.headline, example: 'Критический («красный») уровень' })
  headline?: string;
  @ApiPropertyOptional({ maxLength: TEXT_LIMITS.summary }) summary?: string;
  @ApiPropertyOptional({ type: [String], maxItems: TEXT_LIMITS.measures }) measures?: string[];
}
