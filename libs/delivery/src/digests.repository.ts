import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, queryRows, tables, textArray } from '@tocsin/database';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { DeliverySettings, DigestDelivery, FilterEvent } from '@tocsin/subscribers';
import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { EmailRecipient } from './deliveries.repository';

const { emailSubscriptions } = tables;

/** A subscription whose digest is due. */
export interface DueDigest {
  subscriptionId: string;
  dueAt: Date;
}

/** What sending a subscription's digest needs to know of it. */
export interface DigestSubscription extends DeliverySettings, EmailRecipient {
  nextDigestAt: Date | null;
}

/** A digest as its job read the subscription: the compare-and-set of its settling is on these. */
export interface DigestRead {
  subscriptionId: string;
  status: string;
  dueAt: Date;
}

/** A delivery held for a digest, with its event. */
export interface HeldDelivery {
  id: string;
  eventId: string;
  payload: LevelChangedEvent;
}

/**
 * How the held deliveries of a digest end: sent in it, not sent (the subscriber went away), or refused for
 * good by the mail server (its reply code and words, as an alert's failed delivery keeps them).
 */
export type DigestOutcome =
  | { status: 'delivered'; at: Date }
  | { status: 'skipped'; at: Date; reason: string }
  | { status: 'failed'; at: Date; reason: string; statusCode: number | null };

/** The digests' rows (DESIGN.md §5.6): due subscriptions, their held deliveries, and a digest's outcome. */
@Injectable()
export class DigestsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Subscriptions whose digest is due by `now`, the longest due first (the partial index on next_digest_at),
   * a page of `limit` after `after` (the last of the page before).
   */
  async due(now: Date, limit: number, after?: DueDigest): Promise<DueDigest[]> {
    const s = emailSubscriptions;
    const rows = await this.db
      .select({ subscriptionId: s.id, dueAt: s.nextDigestAt })
      .from(s)
      .where(
        and(
          isNotNull(s.nextDigestAt),
          lte(s.nextDigestAt, now),
          after && sql`(${s.nextDigestAt}, ${s.id}) > (${after.dueAt}, ${after.subscriptionId})`,
        ),
      )
      .orderBy(asc(s.nextDigestAt), asc(s.id))
      .limit(limit);
    return rows.map((row) => ({ subscriptionId: row.subscriptionId, dueAt: row.dueAt! }));
  }

  /**
   * Makes a digest due at `now` for every subscription with none due that holds a delivery made in the last
   * hour, and answers their ids. A fan-out page that read the subscription before it left the digest (back
   * to immediate, unsubscribed, its trip over) may insert a held row after that digest's job read what was
   * held and scheduled none: without this, the row would wait for ever. Such a row is minutes old when its
   * subscription comes to have no digest (a page's insert, then a digest's mail), so the last hour of held
   * rows (deliveries_held_idx; their created_at is the database's clock) is enough, and cheap however many
   * subscriptions there are.
   */
  async dueStrandedHeld(now: Date): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`update email_subscriptions set next_digest_at = ${now.toISOString()}::timestamptz
        where next_digest_at is null and id in (
          select d.email_subscription_id from deliveries d
          where d.status = 'held' and d.created_at > now() - interval '1 hour')
        returning id`,
    );
    return rows.map((row) => row.id);
  }

  /** The subscription; null once it is erased (its held deliveries went with it). */
  async subscription(id: string): Promise<DigestSubscription | null> {
    const [row] = await this.db.select().from(emailSubscriptions).where(eq(emailSubscriptions.id, id));
    if (!row) return null;
    return {
      id: row.id,
      address: row.email,
      status: row.status,
      tokenVersion: row.tokenVersion,
      filter: {
        areas: row.areas,
        schemeId: row.schemeId,
        minRank: row.minRank,
        events: row.events as FilterEvent[] | null,
      },
      language: row.language,
      timeZone: row.timeZone,
      delivery: row.delivery as DigestDelivery,
      immediateMinRank: row.immediateMinRank,
      digestHour: row.digestHour,
      digestWeekday: row.digestWeekday,
      nextDigestAt: row.nextDigestAt,
    };
  }

  /**
   * The deliveries held for a subscription's digest with their events, in the order they were made (the
   * order of the changes). Read through the subscriber's delivery index.
   */
  async held(subscriptionId: string): Promise<HeldDelivery[]> {
    const rows = await queryRows<{ id: string; event_id: string; payload: LevelChangedEvent | string }>(
      this.db,
      sql`select d.id, d.event_id, o.payload from deliveries d join outbox o on o.event_id = d.event_id
        where d.email_subscription_id = ${subscriptionId} and d.status = 'held' and o.payload is not null
        order by d.created_at, d.id`,
    );
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as LevelChangedEvent,
    }));
  }

  /**
   * Settles a digest in one transaction: the deliveries it held (still held) come to `outcome`, marked as
   * this digest's (digest_due_at: one email for them all, as the bounce rule counts it), and the
   * subscription's next digest becomes `next` if the row is still as the job `read` it, due at the same
   * instant and in the same status. Answers whether it was: false when the settings changed meanwhile
   * (their own next digest stands), another run settled it first, or the status moved (a confirmation that
   * kept the due instant must not have its schedule replaced by a pending sign-up's null).
   */
  async settle(
    read: DigestRead,
    deliveryIds: string[],
    outcome: DigestOutcome,
    next: Date | null,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (deliveryIds.length)
        await tx.execute(sql`update deliveries set status = ${outcome.status}, updated_at = ${outcome.at},
            next_attempt_at = null,
            attempts = attempts + ${outcome.status === 'skipped' ? 0 : 1},
            delivered_at = ${outcome.status === 'delivered' ? outcome.at : null},
            last_status_code = ${codeOf(outcome)},
            last_error = ${outcome.status === 'delivered' ? null : outcome.reason},
            digest_due_at = ${read.dueAt.toISOString()}::timestamptz
          where id = any(${textArray(deliveryIds)})
            and status = 'held'`);
      const moved = await tx
        .update(emailSubscriptions)
        .set({ nextDigestAt: next })
        .where(
          and(
            eq(emailSubscriptions.id, read.subscriptionId),
            eq(emailSubscriptions.nextDigestAt, read.dueAt),
            eq(emailSubscriptions.status, read.status),
          ),
        )
        .returning({ id: emailSubscriptions.id });
      return moved.length > 0;
    });
  }
}

/** The reply code a digest's deliveries keep: the server's 250, or its refusal's. */
const codeOf = (outcome: DigestOutcome): number | null =>
  outcome.status === 'delivered' ? 250 : outcome.status === 'failed' ? outcome.statusCode : null;
