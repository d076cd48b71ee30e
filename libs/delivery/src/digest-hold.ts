// Which new email deliveries wait for the subscriber's digest (DESIGN.md §5.6): the rule in TypeScript, the
// reference its SQL form (run by the fan-out's insert) is tested against.
import type { DeliverySettings } from '@tocsin/subscribers';
import { SQL, sql } from 'drizzle-orm';

/** A change of an event as the threshold reads it: the ranks of its levels before and after. */
export interface RankedChange {
  previousRank: number | null;
  currentRank: number | null;
}

/**
 * Whether a change is sent at once to a subscriber with this threshold: its previous or its current level has
 * at least `immediateMinRank` (as the filter's `minRank` is read), so an escalation to the threshold and a
 * drop from it are both heard at once, and a change that stays below it waits. Null: nothing is sent at once.
 */
export function reachesImmediateRank(immediateMinRank: number | null, change: RankedChange): boolean {
  if (immediateMinRank === null) return false;
  return Math.max(change.previousRank ?? 0, change.currentRank ?? 0) >= immediateMinRank;
}

/**
 * The status a new delivery of an event starts in: `held` for a digest subscriber when none of the event's
 * changes that match its filter reaches its threshold, else `pending` (sent at once, the whole event: an alert
 * never waits because another area of it is below the threshold).
 */
export function newDeliveryStatus(
  settings: Pick<DeliverySettings, 'delivery' | 'immediateMinRank'>,
  matchingChanges: readonly RankedChange[],
): 'pending' | 'held' {
  if (settings.delivery === 'immediate') return 'pending';
  return matchingChanges.some((change) => reachesImmediateRank(settings.immediateMinRank, change))
    ? 'pending'
    : 'held';
}

/**
 * `newDeliveryStatus` as a SQL expression over an email subscription row `subscriber` (delivery,
 * immediate_min_rank), the event's change rows `changeRows` (previous_rank, current_rank under alias `ch`)
 * and `matches`, the filter rule between the two.
 */
export function newDeliveryStatusSql(subscriber: string, changeRows: SQL, matches: SQL): SQL {
  const s = (column: string) => sql.raw(`${subscriber}.${column}`);
  // CASE decides in order: an immediate subscriber (most of them) costs no look at the changes.
  return sql`(case when ${s('delivery')} = 'immediate' then 'pending'
    when ${s('immediate_min_rank')} is null then 'held'
    when exists (
      select 1 from ${changeRows}
      where ${matches}
        and greatest(coalesce(ch.previous_rank, 0), coalesce(ch.current_rank, 0)) >= ${s('immediate_min_rank')}
    ) then 'pending' else 'held' end)`;
}
