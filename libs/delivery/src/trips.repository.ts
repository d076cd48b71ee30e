import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, queryRows } from '@tocsin/database';
import { sql } from 'drizzle-orm';

/** The subscriptions that have trips: email and SMS (DESIGN.md §5.6). */
export type TripChannel = 'email' | 'sms';
export const TRIP_CHANNELS: readonly TripChannel[] = ['email', 'sms'];

const TABLE: Record<TripChannel, ReturnType<typeof sql.raw>> = {
  email: sql.raw('email_subscriptions'),
  sms: sql.raw('sms_subscriptions'),
};

/** A trip whose summary is owed: the job's data. */
export interface OwedTripSummary {
  channel: TripChannel;
  subscriptionId: string;
}

/**
 * An email trip that ends owes its digest what was held within the trip: due at once (the next digest sweep
 * sends an ended subscription's last digest and schedules none); one due earlier is owed already and stays.
 * None without a digest schedule.
 */
const lastDigestDue = (now: Date) =>
  sql`, next_digest_at = case when next_digest_at is not null
      then least(next_digest_at, ${now.toISOString()}::timestamptz) end`;

/** The database or the transaction of a sweep: trips ended and their audit entries commit together. */
export type TripsWriter = Pick<Database, 'execute' | 'insert'>;

/**
 * The trip clock's queries, over both subscription tables, each served by a partial index of migration 0014
 * (trip_start_idx, trip_end_idx): the database row says what is owed, so a sweep after a crash or a Redis
 * restart finds the same work.
 */
@Injectable()
export class TripsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  transaction<T>(work: (tx: TripsWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(tx));
  }

  /**
   * Ends up to `limit` trips that are over at `now`: confirmed or still pending subscriptions whose
   * activeUntil has passed become `ended`. Answers the ids it ended (none twice: a row ended by another
   * sweep no longer matches). Unsubscribed, disabled and suspended ones keep their status, which says more.
   */
  async endOverTrips(
    channel: TripChannel,
    now: Date,
    limit: number,
    tx: TripsWriter = this.db,
  ): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`update ${TABLE[channel]} set status = 'ended', updated_at = ${now.toISOString()}::timestamptz
          ${channel === 'email' ? lastDigestDue(now) : sql``}
          where id in (
            select id from ${TABLE[channel]}
            where active_until is not null and status <> 'ended'
              and active_until <= ${now.toISOString()}::timestamptz
              and status in ('confirmed', 'pending')
            order by active_until limit ${limit}
            for update skip locked)
          returning id`,
    );
    return rows.map((row) => row.id);
  }

  /** Up to `limit` confirmed subscriptions whose trip has begun and not ended, and whose summary is not sent. */
  async owedSummaries(now: Date, limit: number): Promise<OwedTripSummary[]> {
    const owed = await Promise.all(
      TRIP_CHANNELS.map(async (channel) => {
        const rows = await queryRows<{ id: string }>(
          this.db,
          sql`select id from ${TABLE[channel]}
              where active_from is not null and trip_summary_sent_at is null
                and active_from <= ${now.toISOString()}::timestamptz
                and status = 'confirmed'
                and (active_until is null or ${now.toISOString()}::timestamptz < active_until)
              order by active_from limit ${limit}`,
        );
        return rows.map((row) => ({ channel, subscriptionId: row.id }));
      }),
    );
    return owed.flat();
  }

  /**
   * Records that the summary of the trip starting at `activeFrom` went out at `at`, unless it was recorded
   * already or the trip moved meanwhile (then the new trip's summary is still owed); false then.
   */
  async markSummarySent(channel: TripChannel, id: string, activeFrom: Date, at: Date): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`update ${TABLE[channel]} set trip_summary_sent_at = ${at.toISOString()}::timestamptz
          where id = ${id} and trip_summary_sent_at is null
            and active_from = ${activeFrom.toISOString()}::timestamptz
          returning id`,
    );
    return rows.length > 0;
  }
}
