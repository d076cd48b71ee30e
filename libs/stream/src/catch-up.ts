import type { LevelChangedEvent } from '@tocsin/declarations';
import type { LiveEventMessage } from '@tocsin/queue';

/** A relayed event with its outbox position, the `id:` of its SSE message. */
export type AnnouncedEvent = LiveEventMessage<LevelChangedEvent>;

/**
 * What a resuming client gets before it goes live: the events it missed, read from the database, then those
 * announced while they were being read, each once. The stream starts holding live events before it reads the
 * database, so an event is in the backlog, among those held, or both — never in neither.
 */
export function catchUp(
  backlog: readonly AnnouncedEvent[],
  held: readonly AnnouncedEvent[],
  lastEventId: number | null,
): AnnouncedEvent[] {
  const sent = new Set<number>(lastEventId === null ? [] : [lastEventId]);
  const events: AnnouncedEvent[] = [];
  for (const event of [...backlog, ...held]) {
    if (sent.has(event.position)) continue;
    sent.add(event.position);
    events.push(event);
  }
  return events;
}
