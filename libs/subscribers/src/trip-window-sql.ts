import { Placeholder, SQL, sql } from 'drizzle-orm';

/**
 * Whether the subscription `alias`'s trip (DESIGN.md §5.6) holds `instant`, an SQL timestamptz: it lies in
 * [active_from, active_until), open bounds open. The rule of inTrip (trip-window.ts) in SQL, the one place
 * the fan-out and the audience preview take it from.
 */
export function inTripSql(alias: string, instant: SQL): SQL {
  const s = sql.raw(alias);
  return sql`(${s}.active_from is null or ${s}.active_from <= ${instant})
    and (${s}.active_until is null or ${instant} < ${s}.active_until)`;
}

/**
 * Whether the event `eventId` reaches the subscription `alias` by its trip: at the instant the change took
 * effect (the outbox row's `due_at`, not now()), so a late retry of a fan-out or a reconciler pass decides
 * the same as the first run. `eventId` may be a placeholder of a compiled statement.
 */
export function eventInTripSql(alias: string, eventId: string | Placeholder): SQL {
  return sql`exists (select 1 from outbox trip_event where trip_event.event_id = ${eventId}
    and ${inTripSql(alias, sql`trip_event.due_at`)})`;
}
