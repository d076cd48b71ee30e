// Pure: which areas a change of the timeline changes. Publishing, cancelling, a start or expiry falling
// due, and the preview all announce exactly these, so the rule is written once.
import { countryCodeOf } from '@tocsin/areas';
import { EffectiveLevel, effectiveLevels, sameLevel, TimelineEntry } from './effective-level';

/** One side of a change: the timeline as it stands, read at an instant. */
export interface TimelineAt {
  entries: readonly TimelineEntry[];
  at: Date;
}

/** An area whose effective level in a scheme is not the same statement after as before. */
export interface ChangedArea {
  areaCode: string;
  previous: EffectiveLevel | null;
  current: EffectiveLevel | null;
}

/**
 * The areas among `areaCodes` whose effective level in `schemeId` differs between `before` and `after`
 * (another declaration, level or source counts as a change; see `sameLevel`), in the order given.
 */
export function changedAreas(
  areaCodes: readonly string[],
  schemeId: string,
  before: TimelineAt,
  after: TimelineAt,
): ChangedArea[] {
  const levelIn = ({ entries, at }: TimelineAt, areaCode: string) =>
    effectiveLevels(areaCode, countryCodeOf(areaCode), entries, at).find((l) => l.schemeId === schemeId) ??
    null;
  return areaCodes
    .map((areaCode) => ({ areaCode, previous: levelIn(before, areaCode), current: levelIn(after, areaCode) }))
    .filter((change) => !sameLevel(change.previous, change.current));
}
