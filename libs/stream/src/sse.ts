// Pure: the text/event-stream wire format (WHATWG HTML, "Server-sent events") of the live stream.
import type { LevelChangedEvent } from '@tocsin/declarations';
import type { AnnouncedEvent } from './catch-up';

export const EVENT_STREAM_MEDIA_TYPE = 'text/event-stream';

/** How long a client waits before reconnecting after the stream ends or drops. */
export const RECONNECT_MS = 3000;

/** Sent first: the client's reconnection delay. */
export const RETRY_FIELD = `retry: ${RECONNECT_MS}\n\n`;

/** A comment line: clients ignore it, proxies and load balancers see the connection is alive. */
export const HEARTBEAT = ': heartbeat\n\n';

/** One event: `id:` is its outbox position, what the client sends back as Last-Event-ID. */
export function sseMessage({ position, event }: AnnouncedEvent): string {
  // JSON.stringify escapes line breaks, so the event always fits one data line.
  return `id: ${position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A Last-Event-ID (header or query): an outbox position, a whole number. Undefined when malformed. */
export function parseLastEventId(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** A message from the live-events channel, or null if it is not one (another version, a stray publish). */
export function parseAnnouncement(text: string): AnnouncedEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const { position, event } = (parsed ?? {}) as { position?: unknown; event?: Partial<LevelChangedEvent> };
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 1) return null;
  if (event?.type !== 'threat_level.changed' || !Array.isArray(event.data?.changes)) return null;
  return { position, event: event as LevelChangedEvent };
}
