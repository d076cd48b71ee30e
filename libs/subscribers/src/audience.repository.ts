import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, queryRows } from '@tocsin/database';
import { SQL, sql } from 'drizzle-orm';
import { FilteredChange, subscriberMatchesChangeSql } from './subscription-filter';
import { inTripSql } from './trip-window-sql';

/** How many subscribers an event's changes would reach, per channel. */
export interface Audience {
  webhooks: number;
  emails: number;
}

// The same columns and the same eligibility as the fan-out's INSERT … SELECT, so a preview counts exactly
// the endpoints and addresses a delivery row would be made for.
const matchesAny = (alias: string) =>
  sql`exists (select 1 from changes ch where ${subscriberMatchesChangeSql(alias, 'ch')})`;

const changeRow = (c: FilteredChange): SQL =>
  sql`(${c.areaCode}::text, ${c.schemeId}::text, ${c.previousRank}::int, ${c.currentRank}::int, ${c.direction}::text)`;

@Injectable()
export class AudienceRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Enabled webhook endpoints and confirmed email subscriptions that match at least one of `changes`, and
   * whose trip holds `at`, the instant the changes take effect (the caller's, from its Clock: never the
   * machine's own, so a test clock or a scheduled declaration counts as the fan-out will).
   */
  async count(changes: FilteredChange[], at: Date): Promise<Audience> {
    if (!changes.length) return { webhooks: 0, emails: 0 };
    const [row] = await queryRows<{ webhooks: number; emails: number }>(
      this.db,
      sql`with changes (area_code, scheme_id, previous_rank, current_rank, direction) as (
            values ${sql.join(changes.map(changeRow), sql`, `)}
          )
          select
            (select count(*) from webhook_endpoints s where s.enabled and ${matchesAny('s')})::int as webhooks,
            (select count(*) from email_subscriptions s where s.status = 'confirmed' and ${inTripSql('s', sql`${at.toISOString()}::timestamptz`)} and ${matchesAny('s')})::int as emails`,
    );
    return { webhooks: Number(row.webhooks), emails: Number(row.emails) };
  }
}
