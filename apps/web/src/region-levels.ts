// Pure: which countries the map draws region by region, and which level colours each region's shape.

import type { EffectiveLevel, Level } from './api';
import type { CountryLevel } from './country-levels';

/** The subdivisions with a level of their own, by country: only these countries' region shapes are loaded. */
export type RegionalLevels = ReadonlyMap<string, ReadonlyMap<string, EffectiveLevel>>;

/**
 * Per country, the level of each subdivision that has one: in the country's default scheme when it has several,
 * else the one that started last (as a country's own level is chosen for the map).
 */
export function regionalLevels(
  levels: EffectiveLevel[],
  defaultSchemes: ReadonlyMap<string, string>,
): Map<string, Map<string, EffectiveLevel>> {
  const result = new Map<string, Map<string, EffectiveLevel>>();
  for (const level of levels) {
    const country = level.area.parent;
    if (level.area.type !== 'subdivision' || !country) continue;
    const regions = result.get(country) ?? new Map<string, EffectiveLevel>();
    result.set(country, regions);
    const held = regions.get(level.area.code);
    if (!held || preferred(level, held, defaultSchemes.get(country))) regions.set(level.area.code, level);
  }
  return result;
}

function preferred(
  candidate: EffectiveLevel,
  held: EffectiveLevel,
  defaultScheme: string | undefined,
): boolean {
  if ((candidate.scheme === defaultScheme) !== (held.scheme === defaultScheme))
    return candidate.scheme === defaultScheme;
  return (
    candidate.since.localeCompare(held.since) > 0 ||
    (candidate.since === held.since && candidate.scheme.localeCompare(held.scheme) < 0)
  );
}

export interface RegionFill {
  level: Level;
  scheme: string;
  /** Whose level it is: the region's own, the larger region it lies in (a French département's région), or the country's. */
  from: 'region' | 'within' | 'country';
}

/**
 * The level a region's shape is filled with: its own, else that of the region it lies within, else the
 * country's own level (a region without a level of its own is under its country's); null for none of these.
 */
export function regionFill(
  region: { code: string; within?: string },
  regions: ReadonlyMap<string, EffectiveLevel> | undefined,
  country: CountryLevel | undefined,
): RegionFill | null {
  const own = regions?.get(region.code);
  if (own) return { level: own.level, scheme: own.scheme, from: 'region' };
  const within = region.within ? regions?.get(region.within) : undefined;
  if (within) return { level: within.level, scheme: within.scheme, from: 'within' };
  if (country && !country.partial) return { level: country.level, scheme: country.scheme, from: 'country' };
  return null;
}
