// A declaration's `language` and `translations`: BCP 47 tags in canonical form, each translation's texts
// bounded as the original's are. Text the database cannot store (U+0000, a lone surrogate) is refused before
// validation for every field alike (see ../http/storable-text.ts).
import { ApiPropertyOptional } from '@nestjs/swagger';
import { canonicalLanguage } from '@tocsin/i18n';
import { ValidateBy, ValidationArguments } from 'class-validator';
import {
  TAG_MESSAGE,
  toCanonicalTranslations as canonicalTranslations,
  TranslationShape,
  translationsProblems as problemsOf,
} from '../http/translations';

/** Bounds of a declaration's texts, for the original and every translation alike. */
export const TEXT_LIMITS = {
  headline: 200,
  summary: 5000,
  measures: 50,
  measure: 1000,
} as const;

/** The most translations a declaration carries: many more languages than any authority publishes in. */
export const MAX_TRANSLATIONS = 20;

const DECLARATION_TRANSLATION: TranslationShape = {
  name: 'declaration',
  texts: { headline: TEXT_LIMITS.headline, summary: TEXT_LIMITS.summary },
  list: { field: 'measures', items: TEXT_LIMITS.measures, length: TEXT_LIMITS.measure },
  maxLanguages: MAX_TRANSLATIONS,
  trimmed: true,
};

/** The canonical form of a tag given as a string, or the value as it came (for the validator to refuse). */
export const toCanonicalLanguage = ({ value }: { value: unknown }): unknown =>
  (typeof value === 'string' && canonicalLanguage(value)) || value;

/** Translations with canonical tags and trimmed headline and summary (as the original's are). */
export const toCanonicalTranslations = ({ value }: { value: unknown }): unknown =>
  canonicalTranslations(value, DECLARATION_TRANSLATION);

/**
 * What is wrong with the `translations` of a declaration in `language` (when given: the default is the
 * service's, which checks it too), each problem naming its place; none when it is right.
 */
export const translationsProblems = (translations: unknown, language?: unknown): string[] =>
  problemsOf(translations, DECLARATION_TRANSLATION, {
    original: typeof language === 'string' ? language : null,
  });

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
