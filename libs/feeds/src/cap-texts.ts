// Pure: the texts of a declaration's CAP `info` blocks, one per language it has texts in.
import { Area, areaName } from '@tocsin/areas';
import { Declaration, declarationLanguages, textIn } from '@tocsin/declarations';
import { levelText, Scheme, schemeText } from '@tocsin/schemes';
import type { CapText } from './cap';

/**
 * One text per language of the declaration, its own first: its headline, summary and measures in that
 * language (a field its translation lacks is the original's), and the scheme's event, the level's name and
 * the areas' names in it where the scheme and the areas have them, else the originals.
 */
export function capTexts(declaration: Declaration, scheme: Scheme, areas: readonly Area[]): CapText[] {
  const level = scheme.levels.find((l) => l.code === declaration.level.code);
  return declarationLanguages(declaration).map((language) => {
    const text = textIn(declaration, language);
    return {
      language,
      event: schemeText(scheme, language).event,
      levelName: level ? levelText(level, language).name : declaration.level.name,
      headline: text.headline,
      description: text.summary,
      instruction: text.measures.join('\n'),
      areaNames: Object.fromEntries(areas.map((area) => [area.code, areaName(area.code, language)])),
    };
  });
}
