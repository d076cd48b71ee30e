import { Injectable } from '@nestjs/common';
import { queryRows } from '@tocsin/database';
import { sql } from 'drizzle-orm';
import type { Queryable } from './declarations.repository';
import { ChangeCause } from './effective-level';
import { LevelChangedEvent } from './level-changed-event';

export interface OutboxEntry {
  eventId: string;
  declarationId: string;
  cause: ChangeCause;
  dueAt: Date;
  payload: LevelChangedEvent | null;
  skippedReason: string | null;
}

/** The declarations side of the outbox: rendering events that fall due. (The relay reads it in libs/delivery.) */
@Injectable()
export class OutboxRepository {
  /** Reads an event and locks it for the rest of the transaction. */
  async lock(tx: Queryable, eventId: string): Promise<OutboxEntry | null> {
    const [row] = await queryRows<{
      event_id: string;
      declaration_id: string;
      cause: ChangeCause;
      due_at: string | Date;
      payload: LevelChangedEvent | null;
      skipped_reason: string | null;
    }>(
      tx,
      sql`select event_id, declaration_id, cause, due_at, payload, skipped_reason from outbox where event_id = ${eventId} for update`,
    );
    return row
      ? {
          eventId: row.event_id,
          declarationId: row.declaration_id,
          cause: row.cause,
          dueAt: new Date(row.due_at),
          payload: row.payload,
          skippedReason: row.skipped_reason,
        }
      : null;
  }

  async setPayload(tx: Queryable, eventId: string, event: LevelChangedEvent): Promise<void> {
    await tx.execute(
      sql`update outbox set payload = ${JSON.stringify(event)}::jsonb where event_id = ${eventId}`,
    );
  }

  async skip(tx: Queryable, eventId: string, reason: string): Promise<void> {
    await tx.execute(sql`update outbox set skipped_reason = ${reason} where event_id = ${eventId}`);
  }
}
