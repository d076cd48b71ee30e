// Pure: a list of every area's level at one instant, and whether it is still the answer at a later one.
import type { Area } from '@tocsin/areas';
import type { EffectiveLevel } from './effective-level';

/** Every area with a level of its own at one instant (GET /v1/levels). */
export interface LevelList {
  at: Date;
  items: { area: Area; level: EffectiveLevel }[];
  /** The next start, expiry or cancellation among the entries it was worked out from; null = none due. */
  validUntil: Date | null;
}

/**
 * Whether `list` is still the answer at `now`, writes aside: the clock has not gone back past its instant
 * and nothing it depends on has started or ended since.
 */
export function holdsAt(list: LevelList, now: Date): boolean {
  return now >= list.at && (list.validUntil === null || now < list.validUntil);
}
