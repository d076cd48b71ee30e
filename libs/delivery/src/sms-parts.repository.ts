import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, queryRows, tables } from '@tocsin/database';
import { and, eq, sql } from 'drizzle-orm';

const { smsParts, deliveries } = tables;

/** What applying one receipt came to. */
export type ReceiptOutcome =
  /** The delivery is settled by it (delivered or failed), or was already. */
  | { kind: 'settled'; deliveryId: string }
  /** Other parts of the message still wait for theirs. */
  | { kind: 'waiting'; deliveryId: string }
  /** No part has this id yet, or its delivery is not recorded as sent yet: the receipt came early. */
  | { kind: 'early' };

/**
 * What the receipts of each SMS delivery's parts said (the parts are written with the batch's outcomes, by
 * DeliveriesRepository.record): the delivery is delivered when every part is, failed when one part failed
 * (DESIGN.md §5.5).
 */
@Injectable()
export class SmsPartsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Applies a final receipt, in one transaction: the part, then, if it was the last to hear, the delivery
   * (only from `sent`, so a delivery already settled or replayed stays as it is). A receipt that comes
   * before its delivery was recorded as sent changes nothing and answers `early`, to be applied again.
   */
  async applyReceipt(messageId: string, delivered: boolean, stat: string, at: Date): Promise<ReceiptOutcome> {
    return this.db.transaction(async (tx) => {
      const [part] = await tx
        .select({ deliveryId: smsParts.deliveryId, status: deliveries.status })
        .from(smsParts)
        .innerJoin(deliveries, eq(deliveries.id, smsParts.deliveryId))
        .where(eq(smsParts.messageId, messageId))
        .for('update', { of: deliveries });
      if (!part || part.status === 'pending') return { kind: 'early' };
      await tx
        .update(smsParts)
        .set({ status: delivered ? 'delivered' : 'failed', receiptAt: at })
        .where(and(eq(smsParts.messageId, messageId), eq(smsParts.status, 'submitted')));
      const [tally] = await queryRows<{ waiting: number; failed: number }>(
        tx,
        sql`select count(*) filter (where status = 'submitted')::int as waiting,
              count(*) filter (where status = 'failed')::int as failed
            from sms_parts where delivery_id = ${part.deliveryId}`,
      );
      if (tally.failed === 0 && tally.waiting > 0) return { kind: 'waiting', deliveryId: part.deliveryId };
      await tx
        .update(deliveries)
        .set(
          tally.failed > 0
            ? { status: 'failed', lastError: `the delivery receipt said ${stat}`, updatedAt: at }
            : { status: 'delivered', deliveredAt: at, updatedAt: at },
        )
        .where(and(eq(deliveries.id, part.deliveryId), eq(deliveries.status, 'sent')));
      return { kind: 'settled', deliveryId: part.deliveryId };
    });
  }
}
