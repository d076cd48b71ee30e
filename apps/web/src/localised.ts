// What the API sends in several languages, shown in the pages' one: scheme and level names from the schemes'
// translations, a declaration's text where it has that language (else its original, marked with its `lang`).

import { Area, Declaration, DeclarationText, knownScheme, Level, Scheme } from './api';
import { language } from './i18n';

export function schemeName(scheme: Scheme | string): string {
  const found = typeof scheme === 'string' ? knownScheme(scheme) : scheme;
  if (!found) return String(scheme);
  return found.translations?.[language()]?.name ?? found.name;
}

/** A level's name in the pages' language: its own translations, else its scheme's, else the name as sent. */
export function levelName(level: Level, scheme?: string): string {
  const own = level.translations?.[language()]?.name;
  if (own) return own;
  const schemeLevel = scheme ? knownScheme(scheme)?.levels.find((l) => l.code === level.code) : undefined;
  return schemeLevel?.translations?.[language()]?.name ?? level.name;
}

export function levelDescription(level: Level & { description: string }): string {
  return level.translations?.[language()]?.description ?? level.description;
}

/** The measures a level calls for, in `lang` (by default the pages') where its scheme has them. */
export function levelMeasures(level: Level & { measures: string[] }, lang: string = language()): string[] {
  return level.translations?.[lang]?.measures ?? level.measures;
}

/** A country by its name in the pages' language when the API sent its names, else the name as sent. */
export const areaName = (area: Area): string => area.names?.[language()] ?? area.name;

export interface ShownText extends DeclarationText {
  /** The BCP 47 tag of the text shown, for its elements' `lang`. */
  lang: string;
  /** True when the pages' language is not among the declaration's, so the original is shown. */
  original: boolean;
}

/** A declaration's headline, summary and measures in the pages' language where it has them, else the original. */
export function declarationText(d: Declaration): ShownText {
  const wanted = language();
  const originalLanguage = d.language ?? 'en';
  const primary = (tag: string) => tag.toLowerCase().split('-')[0];
  if (primary(originalLanguage) === wanted)
    return {
      headline: d.headline,
      summary: d.summary,
      measures: d.measures,
      lang: originalLanguage,
      original: false,
    };
  const tag = Object.keys(d.translations ?? {}).find((t) => primary(t) === wanted);
  const translated = tag ? d.translations?.[tag] : undefined;
  if (tag && translated?.headline) {
    return {
      headline: translated.headline,
      summary: translated.summary ?? d.summary,
      measures: translated.measures ?? d.measures,
      lang: tag,
      original: false,
    };
  }
  return {
    headline: d.headline,
    summary: d.summary,
    measures: d.measures,
    lang: originalLanguage,
    original: true,
  };
}
