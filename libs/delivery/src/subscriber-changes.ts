import type { LevelChangedEvent } from '@tocsin/declarations';
import { filterMatches, SubscriptionFilter } from '@tocsin/subscribers';

type Change = LevelChangedEvent['data']['changes'][number];

/**
 * The changes of an event a subscriber's filter keeps, for the alert a person reads; all of them if it keeps
 * none (the fan-out chose the subscriber by the same rule, so that is a filter changed since).
 */
export function changesFor(filter: SubscriptionFilter, event: LevelChangedEvent): Change[] {
  const kept = event.data.changes.filter((change) =>
    filterMatches(filter, {
      areaCode: change.area.code,
      schemeId: change.scheme,
      previousRank: change.previous?.rank ?? null,
      currentRank: change.current?.rank ?? null,
      direction: change.direction,
    }),
  );
  return kept.length ? kept : event.data.changes;
}
