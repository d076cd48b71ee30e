// Pure: which of a declaration's languages answers a reader's, and its texts in it.
import { matchLanguage } from '@tocsin/i18n';
import { Declaration, DeclarationText } from './declaration';

type Texts = Pick<Declaration, 'headline' | 'summary' | 'measures' | 'language' | 'translations'>;

/** A declaration's texts in one of its languages. */
export interface LocalisedText extends DeclarationText {
  /** The declaration's language these texts are in (its own, or a translation's tag). */
  language: string;
  /** Whether they come from a translation rather than the original. */
  translated: boolean;
}

/**
 * Every language the declaration has texts in: its own first, then its translations' in alphabetical order
 * (jsonb keeps no order of keys, so none is read from storage).
 */
export function declarationLanguages(declaration: Pick<Texts, 'language' | 'translations'>): string[] {
  return [declaration.language, ...Object.keys(declaration.translations).sort()];
}

/**
 * The declaration's texts in `wanted`, or in its own language when it has none in `wanted`. A field a
 * translation leaves out is the original's.
 */
export function textIn(declaration: Texts, wanted: string): LocalisedText {
  const original: LocalisedText = {
    language: declaration.language,
    translated: false,
    headline: declaration.headline,
    summary: declaration.summary,
    measures: declaration.measures,
  };
  const language = matchLanguage(wanted, declarationLanguages(declaration));
  if (!language || language === declaration.language) return original;
  const translation = declaration.translations[language];
  return {
    language,
    translated: true,
    headline: translation.headline ?? original.headline,
    summary: translation.summary ?? original.summary,
    measures: translation.measures ?? original.measures,
  };
}
