// Pure: the texts of a declaration's CAP `info` blocks, one per language it has texts in.
import type { Area } from '@tocsin/areas';
import { Declaration, declarationLanguages, textIn } from '@tocsin/declarations';
import type { Scheme } from '@tocsin/schemes';
import type { CapText } from './cap';

/** How names are put in a language: the scheme's event, a level's name, an area's name. */
export interface CapNames {
  event(scheme: Scheme, language: string): string;
  levelName(scheme: Scheme, levelCode: string, language: string): string | null;
  areaName(area: Area, language: string): string;
}

/**
 * One text per language of the declaration, its own first: its headline, summary and measures in that
 * language (a field its translation lacks is the original's), and the event, level and area names in it
 * where there are names in it.
 */
export function capTexts(
  declaration: Declaration,
  scheme: Scheme,
  areas: readonly Area[],
  names: CapNames,
): CapText[] {
  return declarationLanguages(declaration).map((language) => {
    const text = textIn(declaration, language);
    return {
      language,
      event: names.event(scheme, language),
      levelName: names.levelName(scheme, declaration.level.code, language) ?? declaration.level.name,
      headline: text.headline,
      description: text.summary,
      instruction: text.measures.join('\n'),
      areaNames: Object.fromEntries(areas.map((area) => [area.code, names.areaName(area, language)])),
    };
  });
}
