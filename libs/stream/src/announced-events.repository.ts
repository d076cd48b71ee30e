import { Inject, Injectable } from '@nestjs/common';
import { countryCodeOf } from '@tocsin/areas';
import { DATABASE, Database, queryRows } from '@tocsin/database';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { SQL, sql } from 'drizzle-orm';
import type { AnnouncedEvent } from './catch-up';

/**
 * The outbox, read-only, as the stream sees it: the events the relay has announced. They are read in the
 * order the relay announced them — when relayed, then when due, then by position — not by position alone:
 * an expiry or a scheduled start is written (and numbered) when declared but announced when it falls due.
 */
@Injectable()
export class AnnouncedEventsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * The first `limit` events announced after the one at `lastEventId`, concerning `areaCode` if given. An
   * unknown id (a client of a database since restored, say) resumes after that position.
   */
  async after(lastEventId: number, areaCode: string | undefined, limit: number): Promise<AnnouncedEvent[]> {
    const rows = await queryRows<{ position: string | number; payload: LevelChangedEvent }>(
      this.db,
      sql`with last_seen as (
            select relayed_at, due_at, position from outbox
            where position = ${lastEventId} and relayed_at is not null and payload is not null
          )
          select position, payload from outbox
          where relayed_at is not null and payload is not null
            and coalesce(
              (relayed_at, due_at, position) > (select relayed_at, due_at, position from last_seen),
              position > ${lastEventId}
            )
            and ${concernsAreaSql(areaCode)}
          order by relayed_at, due_at, position
          limit ${limit}`,
    );
    return rows.map((row) => ({ position: Number(row.position), event: row.payload }));
  }
}

/** `eventConcernsArea` over the outbox row's payload; the int-spec holds the two together. */
function concernsAreaSql(areaCode: string | undefined): SQL {
  if (areaCode === undefined) return sql`true`;
  const country = countryCodeOf(areaCode);
  const code = sql`change->'area'->>'code'`;
  // Canonical codes hold only letters, digits and one '-', so the LIKE pattern has no wildcard but ours.
  const covered =
    country === areaCode
      ? sql`(${code} = ${areaCode} or ${code} like ${`${areaCode}-%`})`
      : sql`${code} in (${areaCode}, ${country})`;
  return sql`exists (
    select 1 from jsonb_array_elements(payload->'data'->'changes') as change where ${covered}
  )`;
}
