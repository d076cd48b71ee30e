import { SQL, sql, SQLWrapper } from 'drizzle-orm';

// Keyset paging of newest-first lists, the one way every list pages. A row's position is its instant as
// PostgreSQL keeps it, to the microsecond (a JS Date keeps milliseconds, and a cursor holding one skips
// every row of the same millisecond), plus its id, because a set-wise insert gives a thousand rows one
// created_at.

/** Where a row stands in a newest-first list. */
export interface KeysetPosition {
  /** UTC, six fraction digits: `2026-11-27T09:00:00.123456Z`. Fixed width, so strings order as instants. */
  instant: string;
  id: string;
}

/** A row of a list with its position, for the next page to start after. */
export type Positioned<T> = T & { position: KeysetPosition };

/** Which rows a page asks for: at most `limit`, newest first, after `after` (none = from the newest). */
export interface KeysetWindow {
  after?: KeysetPosition;
  limit: number;
}

/**
 * The SQL of a list ordered newest first by (`instant`, `id`), e.g. `(created_at, id)`: an index on
 * those two columns serves the condition and the order in one backward scan.
 */
export function newestFirst(instant: SQLWrapper, id: SQLWrapper) {
  return {
    /** The instant as the position holds it; select it beside the row and hand it to `positioned`. */
    instant: sql<string>`to_char(${instant} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    /** Rows after `position`; the row comparison is one index condition, unlike `a < x or (a = x and …)`. */
    after: (position: KeysetPosition): SQL =>
      sql`(${instant}, ${id}) < (${position.instant}::timestamptz, ${position.id})`,
    orderBy: sql`${instant} desc, ${id} desc`,
  };
}

/** `row` with its position, from the instant `newestFirst(...).instant` selected. */
export function positioned<T extends { id: string }>(row: T, instant: string): Positioned<T> {
  return { ...row, position: { instant, id: row.id } };
}

/** The position instant of a JS Date, for lists worked out in memory (their instants are milliseconds). */
export function keysetInstant(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/;
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
/** Every id the lists hand out (`dcl_…`, `dlv_…`, `key_…`, scheme ids); nothing PostgreSQL could choke on. */
const ID = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * The position made of `instant` and `id` from outside (a cursor), or null unless a list could have handed
 * it out: a real UTC instant in years 0001–9999 (PostgreSQL answers 30 February or year 0 with an error)
 * and a plain id. Fewer fraction digits are padded to six.
 */
export function keysetPosition(instant: unknown, id: unknown): KeysetPosition | null {
  if (typeof instant !== 'string' || typeof id !== 'string' || !ID.test(id)) return null;
  const match = INSTANT.exec(instant);
  if (!match) return null;
  const seconds = match[1];
  const at = Date.parse(`${seconds}Z`);
  // An instant that reads back as written: no 30 February, no 24:00, no leap second.
  if (Number.isNaN(at) || at < FIRST_INSTANT || new Date(at).toISOString().slice(0, 19) !== seconds)
    return null;
  return { instant: `${seconds}.${(match[2] ?? '').padEnd(6, '0')}Z`, id };
}

/**
 * Negative when `a` comes first in a newest-first list: the later instant, then the greater id (in code
 * units: for lists in memory; SQL compares ids by the column's collation).
 */
export function compareNewestFirst(a: KeysetPosition, b: KeysetPosition): number {
  if (a.instant !== b.instant) return a.instant > b.instant ? -1 : 1;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

/** One page of a list held in memory, in the same order and with the same positions as a SQL list. */
export function keysetSlice<T>(rows: readonly Positioned<T>[], window: KeysetWindow): Positioned<T>[] {
  const { after } = window;
  return [...rows]
    .sort((a, b) => compareNewestFirst(a.position, b.position))
    .filter((row) => !after || compareNewestFirst(row.position, after) > 0)
    .slice(0, window.limit);
}
