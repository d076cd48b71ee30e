// `translations` of a scheme and of its levels: keys are BCP 47 tags (stored canonical), values hold only the
// texts a translation may carry, bounded as the original's are. PATCH may give a language `null` to drop it.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import {
  toCanonicalTranslations as canonicalTranslations,
  TranslationShape,
  translationsProblems,
} from '../http/translations';

/** The most languages a scheme or a level carries. */
export const MAX_SCHEME_TRANSLATIONS = 20;

/** The texts a translation holds and their bounds, the same as the original's (see scheme.dto.ts). */
export const SCHEME_TRANSLATION: TranslationShape = {
  name: 'scheme',
  texts: { name: 200, event: 100, description: 4000 },
  maxLanguages: MAX_SCHEME_TRANSLATIONS,
};
export const LEVEL_TRANSLATION: TranslationShape = {
  name: 'level',
  texts: { name: 200, description: 2000 },
  list: { field: 'measures', items: 30, length: 500 },
  maxLanguages: MAX_SCHEME_TRANSLATIONS,
};

/** Translations with canonical tags; anything not plainly right is left as it came, for the validator to name. */
export const toCanonicalTranslations = ({ value }: { value: unknown }): unknown =>
  canonicalTranslations(value, SCHEME_TRANSLATION);

/** `removable`: a language may be `null`, which a PATCH reads as "drop this language". */
export const AreTranslations = (shape: TranslationShape, options: { removable?: boolean } = {}) =>
  ValidateBy({
    name: 'areTranslations',
    validator: {
      validate: (value: unknown) => translationsProblems(value, shape, options).length === 0,
      // class-validator allows one message per rule: every problem, in one.
      defaultMessage: (args) => translationsProblems(args?.value, shape, options).join('; '),
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
