// The one rule of who hears about a change, for email subscriptions and webhook endpoints alike. The fan-out
// runs it in SQL (`filterMatchesSql`); the TypeScript form is the reference the SQL is tested against.
import { areaCovers } from '@tocsin/areas';
import { SQL, sql } from 'drizzle-orm';

export const FILTER_EVENTS = ['escalated', 'deescalated'] as const;
export type FilterEvent = (typeof FILTER_EVENTS)[number];

export interface SubscriptionFilter {
  /** `KZ` = the country and every subdivision; `KZ-75` = that subdivision and countrywide KZ; `*` = everywhere. */
  areas: string[];
  /** Only this scheme; null = every scheme. */
  schemeId: string | null;
  /** Only changes where the previous or the current level has at least this rank; null = any. */
  minRank: number | null;
  /** Only these directions; null = both. A re-declaration at the same level always passes. */
  events: FilterEvent[] | null;
}

/** A filter's columns, as every subscriber table stores them (areas, scheme_id, min_rank, events). */
export interface SubscriptionFilterColumns {
  areas: string[];
  schemeId: string | null;
  minRank: number | null;
  events: string[] | null;
}

/** The columns a subscriber row stores `filter` in. */
export function filterColumns(filter: SubscriptionFilter): SubscriptionFilterColumns {
  return { areas: filter.areas, schemeId: filter.schemeId, minRank: filter.minRank, events: filter.events };
}

/** The filter a subscriber row's columns hold. */
export function filterOfColumns(row: SubscriptionFilterColumns): SubscriptionFilter {
  return {
    areas: row.areas,
    schemeId: row.schemeId,
    minRank: row.minRank,
    events: row.events as FilterEvent[] | null,
  };
}

/** One area's change in one event, as the filter sees it. */
export interface FilteredChange {
  areaCode: string;
  schemeId: string;
  previousRank: number | null;
  currentRank: number | null;
  direction: 'escalated' | 'deescalated' | 'unchanged';
}

/** Plain words for the API docs; kept beside the rule so the two never drift. */
export const FILTER_EXPLANATION =
  'A change reaches a subscriber when all hold: one of `areas` covers the changed area (`*` = everywhere; ' +
  '`KZ` = Kazakhstan and every KZ subdivision; `KZ-75` = Almaty city and countrywide KZ declarations); `scheme`, ' +
  "if set, is the change's scheme; `minRank`, if set, is reached by the previous or the current level (so a drop " +
  'from red to orange still reaches "orange and above"); `events`, if set, holds the change\'s direction ' +
  '(`escalated` or `deescalated`; a re-declaration at the same level always passes).';

export function filterMatches(filter: SubscriptionFilter, change: FilteredChange): boolean {
  if (!filter.areas.some((area) => areaCovers(area, change.areaCode))) return false;
  if (filter.schemeId !== null && filter.schemeId !== change.schemeId) return false;
  if (filter.minRank !== null && Math.max(change.previousRank ?? 0, change.currentRank ?? 0) < filter.minRank)
    return false;
  if (filter.events !== null && change.direction !== 'unchanged' && !filter.events.includes(change.direction))
    return false;
  return true;
}

/** SQL column references of a filter (a subscriber row) and of a change (a row of the event's changes). */
export interface FilterColumns {
  areas: SQL;
  schemeId: SQL;
  minRank: SQL;
  events: SQL;
}
export interface ChangeColumns {
  areaCode: SQL;
  schemeId: SQL;
  previousRank: SQL;
  currentRank: SQL;
  direction: SQL;
}

/** `filterMatches` as a SQL predicate, for the fan-out's INSERT … SELECT. */
export function filterMatchesSql(f: FilterColumns, c: ChangeColumns): SQL {
  return sql`(
    exists (
      select 1 from unnest(${f.areas}) as filter_area
      where filter_area = '*' or filter_area = ${c.areaCode}
        or (position('-' in filter_area) = 0 and filter_area = split_part(${c.areaCode}, '-', 1))
        or (position('-' in ${c.areaCode}) = 0 and ${c.areaCode} = split_part(filter_area, '-', 1))
    )
    and (${f.schemeId} is null or ${f.schemeId} = ${c.schemeId})
    and (${f.minRank} is null or greatest(coalesce(${c.previousRank}, 0), coalesce(${c.currentRank}, 0)) >= ${f.minRank})
    and (${f.events} is null or ${c.direction} = 'unchanged' or ${c.direction} = any(${f.events}))
  )`;
}

/**
 * `filterMatchesSql` over the usual column names: a subscriber row (`areas`, `scheme_id`, `min_rank`, `events`)
 * under `subscriber`, a change row (`area_code`, `scheme_id`, `previous_rank`, `current_rank`, `direction`)
 * under `change`. The fan-out and the audience preview both use it, so they count the same subscribers.
 */
export function subscriberMatchesChangeSql(subscriber: string, change: string): SQL {
  const column = (alias: string, name: string) => sql.raw(`${alias}.${name}`);
  return filterMatchesSql(
    {
      areas: column(subscriber, 'areas'),
      schemeId: column(subscriber, 'scheme_id'),
      minRank: column(subscriber, 'min_rank'),
      events: column(subscriber, 'events'),
    },
    {
      areaCode: column(change, 'area_code'),
      schemeId: column(change, 'scheme_id'),
      previousRank: column(change, 'previous_rank'),
      currentRank: column(change, 'current_rank'),
      direction: column(change, 'direction'),
    },
  );
}
