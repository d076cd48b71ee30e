// Pure: which level colours each country on the world map.

import type { EffectiveLevel, Level } from './api';
import { t } from './i18n';
import { levelText } from './level-chip';

export interface CountryLevel {
  country: string;
  scheme: string;
  level: Level;
  since: string;
  declarationId: string;
  /** True when the country has no level of its own and this is the highest among its subdivisions. */
  partial: boolean;
  /** For a partial level: how many subdivisions have a level in that scheme. */
  subdivisions: number;
}

/** The level that stands for one area: the one in its default scheme, else the one that started last. */
function representative(levels: EffectiveLevel[], defaultScheme: string | undefined): EffectiveLevel {
  return (
    levels.find((l) => l.scheme === defaultScheme) ??
    [...levels].sort((a, b) => b.since.localeCompare(a.since) || a.scheme.localeCompare(b.scheme))[0]
  );
}

/**
 * One entry per country with a level: its own level (in its default scheme when it has several); or, for a
 * country whose only levels are its subdivisions', the highest of those, marked partial.
 */
export function countryLevels(
  levels: EffectiveLevel[],
  defaultSchemes: ReadonlyMap<string, string>,
): Map<string, CountryLevel> {
  const own = new Map<string, EffectiveLevel[]>();
  const parts = new Map<string, EffectiveLevel[]>();
  for (const level of levels) {
    const country = level.area.parent ?? level.area.code;
    const target = level.area.type === 'country' ? own : parts;
    target.set(country, [...(target.get(country) ?? []), level]);
  }
  const result = new Map<string, CountryLevel>();
  for (const [country, countryLevels] of own) {
    const chosen = representative(countryLevels, defaultSchemes.get(country));
    result.set(country, {
      country,
      scheme: chosen.scheme,
      level: chosen.level,
      since: chosen.since,
      declarationId: chosen.declarationId,
      partial: false,
      subdivisions: 0,
    });
  }
  for (const [country, subdivisionLevels] of parts) {
    if (result.has(country)) continue;
    const scheme = representative(subdivisionLevels, defaultSchemes.get(country)).scheme;
    const inScheme = subdivisionLevels.filter((l) => l.scheme === scheme);
    const highest = inScheme.reduce((a, b) => (b.level.rank > a.level.rank ? b : a));
    result.set(country, {
      country,
      scheme,
      level: highest.level,
      since: highest.since,
      declarationId: highest.declarationId,
      partial: true,
      subdivisions: new Set(inScheme.map((l) => l.area.code)).size,
    });
  }
  return result;
}

/** A sentence for a country's level, for lists, tooltips and screen readers. */
export function describeCountryLevel(
  name: string,
  entry: CountryLevel | undefined,
  schemeName: string,
): string {
  if (!entry) return t('web.map.noLevel', { name });
  return t(entry.partial ? 'web.map.levelInRegions' : 'web.map.level', {
    name,
    level: levelText(entry.level, entry.scheme),
    regions: entry.subdivisions,
    scheme: schemeName,
  });
}
