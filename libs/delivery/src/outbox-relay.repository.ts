import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, queryRows } from '@tocsin/database';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { sql } from 'drizzle-orm';

export interface DueOutboxEvent {
  eventId: string;
  position: number;
  payload: LevelChangedEvent | null;
}

/** The delivery side of the outbox: what is due to be relayed, and how far each event got. */
@Injectable()
export class OutboxRelayRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async due(now: Date, limit: number): Promise<DueOutboxEvent[]> {
    const rows = await queryRows<{
      event_id: string;
      position: string | number;
      payload: LevelChangedEvent | null;
    }>(
      this.db,
      sql`select event_id, position, payload from outbox
          where relayed_at is null and skipped_reason is null and due_at <= ${now}
          order by due_at, position limit ${limit}`,
    );
    return rows.map((r) => ({ eventId: r.event_id, position: Number(r.position), payload: r.payload }));
  }

  async markRelayed(eventIds: string[], now: Date): Promise<void> {
    if (!eventIds.length) return;
    await this.db.execute(
      sql`update outbox set relayed_at = ${now} where event_id in (${sql.join(
        eventIds.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
  }

  async markFannedOut(eventId: string, now: Date): Promise<void> {
    await this.db.execute(sql`update outbox set fanned_out_at = ${now} where event_id = ${eventId}`);
  }

  async payloadOf(eventId: string): Promise<LevelChangedEvent | null> {
    const [row] = await queryRows<{ payload: LevelChangedEvent | null }>(
      this.db,
      sql`select payload from outbox where event_id = ${eventId}`,
    );
    return row?.payload ?? null;
  }

  /** Relayed events whose fan-out never finished (its job was lost with Redis, say). */
  async unfinishedFanOuts(relayedBefore: Date, limit: number): Promise<string[]> {
    const rows = await queryRows<{ event_id: string }>(
      this.db,
      sql`select event_id from outbox where relayed_at < ${relayedBefore} and fanned_out_at is null and payload is not null
          order by relayed_at limit ${limit}`,
    );
    return rows.map((r) => r.event_id);
  }
}
