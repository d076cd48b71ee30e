/**
 * The Redis pub/sub channel on which every relayed `threat_level.changed` event is announced, for live
 * consumers in any API process (the SSE stream). A message is JSON `{ position, event }`: `position` is the
 * event's outbox position, which a consumer that missed messages resumes from in the database.
 */
export const liveEventsChannel = (queuePrefix: string): string => `${queuePrefix}:live:threat_level.changed`;

export interface LiveEventMessage<E = unknown> {
  position: number;
  event: E;
}
