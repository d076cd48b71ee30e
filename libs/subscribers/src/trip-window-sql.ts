import { SQL, sql } from 'drizzle-orm';

/**
 * Whether the event `eventId` reaches the subscription `alias` by its trip (DESIGN.md §5.6): the instant the
 * change took effect (the outbox row's `due_at`, not now()) lies in [active_from, active_until), open bounds
 * open. The rule of inTrip (trip-window.ts) in SQL: a late retry of a fan-out or a
 * reconciler pass decides the same as the first run.
 */
export function eventInTripSql(alias: string, eventId: string): SQL {
  const s = sql.raw(alias);
  return sql`exists (select 1 from outbox trip_event where trip_event.event_id = ${eventId}
    and (${s}.active_from is null or ${s}.active_from <= trip_event.due_at)
    and (${s}.active_until is null or trip_event.due_at < ${s}.active_until))`;
}

/** The same rule for an instant given (the audience preview's, which has no outbox row yet). */
export function instantInTripSql(alias: string, at: Date): SQL {
  const s = sql.raw(alias);
  const instant = sql`${at.toISOString()}::timestamptz`;
  return sql`(${s}.active_from is null or ${s}.active_from <= ${instant})
    and (${s}.active_until is null or ${instant} < ${s}.active_until)`;
}
