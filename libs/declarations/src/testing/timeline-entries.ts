import type { LevelRef, TimelineEntry } from '../effective-level';

export const YELLOW: LevelRef = { code: 'yellow', rank: 1, name: 'Moderate', color: '#fbc02d' };
export const ORANGE: LevelRef = { code: 'orange', rank: 2, name: 'High', color: '#f57c00' };
export const RED: LevelRef = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };

/**
 * A maker of timeline entries for unit tests of the level rules. Each entry is created a millisecond after
 * the one before it, from `createdFrom` on, so "the later-created declaration" is the one made later.
 */
export function timelineEntries(createdFrom: Date) {
  let created = 0;
  return function entry(
    declarationId: string,
    areaCode: string,
    level: LevelRef,
    effectiveAt: string,
    options: { expiresAt?: string; cancelledAt?: string; scheme?: string } = {},
  ): TimelineEntry {
    created += 1;
    return {
      declarationId,
      areaCode,
      schemeId: options.scheme ?? 'kz-terror',
      level,
      effectiveAt: new Date(effectiveAt),
      expiresAt: options.expiresAt ? new Date(options.expiresAt) : null,
      createdAt: new Date(createdFrom.getTime() + created),
      createdBy: 'publisher',
      cancelledAt: options.cancelledAt ? new Date(options.cancelledAt) : null,
      cancelledBy: options.cancelledAt ? 'admin' : null,
    };
  };
}
