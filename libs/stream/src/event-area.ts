import { areaCovers } from '@tocsin/areas';
import type { LevelChangedEvent } from '@tocsin/declarations';

/**
 * Whether a stream asking for `areaCode` gets this event: one of its changes is in an area the code covers
 * (`KZ` = Kazakhstan and every KZ subdivision; `KZ-75` = Almaty city and countrywide KZ). No code = every
 * event. Expects a canonical code (see findArea). The backlog query (OutboxRepository.announcedAfter, over
 * outbox_changes) follows the same rule, `areaCovers`.
 */
export function eventConcernsArea(event: LevelChangedEvent, areaCode: string | undefined): boolean {
  return (
    areaCode === undefined || event.data.changes.some((change) => areaCovers(areaCode, change.area.code))
  );
}
