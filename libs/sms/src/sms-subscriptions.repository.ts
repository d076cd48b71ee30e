import { Inject, Injectable } from '@nestjs/common';
import {
  DATABASE,
  Database,
  KeysetWindow,
  newestFirst,
  Positioned,
  positioned,
  tables,
} from '@tocsin/database';
import { filterColumns, filterOfColumns, SubscriptionFilter } from '@tocsin/subscribers';
import { and, eq, getTableColumns, gte, inArray, isNull, like, lt, SQL } from 'drizzle-orm';

const { smsSubscriptions } = tables;

/** `ended`: its trip's activeUntil has passed (DESIGN.md §5.6). */
export const SMS_SUBSCRIPTION_STATUSES = [
  'pending',
  'confirmed',
  'unsubscribed',
  'disabled',
  'ended',
] as const;
export type SmsSubscriptionStatus = (typeof SMS_SUBSCRIPTION_STATUSES)[number];

export interface SmsSubscription {
  id: string;
  /** E.164. */
  phone: string;
  filter: SubscriptionFilter;
  /** Also receives exercises and tests (DESIGN.md §5.4). */
  exercises: boolean;
  status: SmsSubscriptionStatus;
  /** Canonical BCP 47 tag its texts are written in (the nearest UI language). */
  language: string;
  /** The HMAC of the code last sent (sms-codes.ts); null once confirmed, or voided. */
  codeHash: string | null;
  /** When the last code was asked for: its validity and the per-number limit count from here. */
  codeSentAt: Date | null;
  codesToday: number;
  wrongCodes: number;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  /** The trip (trip-window.ts in libs/subscribers): nothing is texted for an event outside it. */
  activeFrom: Date | null;
  activeUntil: Date | null;
  /** When the trip's "current situation" SMS went out. */
  tripSummarySentAt: Date | null;
}

export type SmsSubscriptionChanges = Partial<Omit<SmsSubscription, 'id' | 'phone' | 'createdAt'>>;

export interface SmsSubscriptionQuery extends KeysetWindow {
  status?: SmsSubscriptionStatus;
  /** A part of the number. */
  search?: string;
}

/** The database or the transaction of an act (a confirmation and its row lock, an erasure and its audit entry). */
export type SmsSubscriptionsWriter = Pick<Database, 'insert' | 'update' | 'delete' | 'select'>;

const byCreation = newestFirst(smsSubscriptions.createdAt, smsSubscriptions.id);

/** The rows of one millisecond: the column keeps microseconds, a Date only milliseconds. */
const withinMillisecondOf = (instant: Date) =>
  and(
    gte(smsSubscriptions.codeSentAt, instant),
    lt(smsSubscriptions.codeSentAt, new Date(instant.getTime() + 1)),
  );

@Injectable()
export class SmsSubscriptionsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: SmsSubscriptionsWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(tx));
  }

  /** Inserts unless the number exists; false when it does (two sign-ups racing). */
  async insert(subscription: SmsSubscription): Promise<boolean> {
    const inserted = await this.db
      .insert(smsSubscriptions)
      .values(toRow(subscription))
      .onConflictDoNothing()
      .returning({ id: smsSubscriptions.id });
    return inserted.length > 0;
  }

  async update(
    id: string,
    changes: SmsSubscriptionChanges,
    tx: SmsSubscriptionsWriter = this.db,
  ): Promise<void> {
    const { filter, ...rest } = changes;
    await tx
      .update(smsSubscriptions)
      .set({ ...rest, ...(filter ? filterColumns(filter) : {}) })
      .where(eq(smsSubscriptions.id, id));
  }

  /**
   * Records that a code is asked for now, and voids the one before, unless another sign-up recorded one since
   * `previous` was read: two racing sign-ups then text once. "Since" is "after `previous`'s millisecond".
   */
  async claimCodeSlot(id: string, previous: Date | null, now: Date, codesToday: number): Promise<boolean> {
    const claimed = await this.db
      .update(smsSubscriptions)
      .set({ codeSentAt: now, codesToday, codeHash: null, updatedAt: now })
      .where(
        and(
          eq(smsSubscriptions.id, id),
          previous
            ? lt(smsSubscriptions.codeSentAt, new Date(previous.getTime() + 1))
            : isNull(smsSubscriptions.codeSentAt),
        ),
      )
      .returning({ id: smsSubscriptions.id });
    return claimed.length > 0;
  }

  /**
   * Stores the hash of the code made for the request of `requestedAt`, wrong codes counted afresh, if the
   * number is still pending and no later request replaced it; false otherwise.
   */
  async storeCode(id: string, requestedAt: Date, codeHash: string): Promise<boolean> {
    const stored = await this.db
      .update(smsSubscriptions)
      .set({ codeHash, wrongCodes: 0 })
      .where(
        and(
          eq(smsSubscriptions.id, id),
          eq(smsSubscriptions.status, 'pending'),
          withinMillisecondOf(requestedAt),
        ),
      )
      .returning({ id: smsSubscriptions.id });
    return stored.length > 0;
  }

  /**
   * A STOP: unsubscribes the number if it is pending or confirmed, and returns the row only then, so that
   * only the STOP that changed something is answered. Null: unknown, or already unsubscribed or disabled.
   */
  async unsubscribeByPhone(phone: string, now: Date): Promise<SmsSubscription | null> {
    const [row] = await this.db
      .update(smsSubscriptions)
      .set({ status: 'unsubscribed', unsubscribedAt: now, updatedAt: now, codeHash: null })
      .where(
        and(eq(smsSubscriptions.phone, phone), inArray(smsSubscriptions.status, ['pending', 'confirmed'])),
      )
      .returning();
    return row ? fromRow(row) : null;
  }

  /** With `forUpdate`, locks the row until `tx` ends: guesses at one number's code are judged one at a time. */
  async findByPhone(
    phone: string,
    tx: SmsSubscriptionsWriter = this.db,
    { forUpdate = false } = {},
  ): Promise<SmsSubscription | null> {
    const query = tx.select().from(smsSubscriptions).where(eq(smsSubscriptions.phone, phone));
    const [row] = forUpdate ? await query.for('update') : await query;
    return row ? fromRow(row) : null;
  }

  async findById(id: string): Promise<SmsSubscription | null> {
    const [row] = await this.db.select().from(smsSubscriptions).where(eq(smsSubscriptions.id, id));
    return row ? fromRow(row) : null;
  }

  /** Newest first. */
  async findMany(query: SmsSubscriptionQuery): Promise<Positioned<SmsSubscription>[]> {
    const conditions: (SQL | undefined)[] = [];
    if (query.status) conditions.push(eq(smsSubscriptions.status, query.status));
    if (query.search)
      conditions.push(like(smsSubscriptions.phone, `%${query.search.replace(/[\\%_]/g, '\\$&')}%`));
    if (query.after) conditions.push(byCreation.after(query.after));
    const rows = await this.db
      .select({ ...getTableColumns(smsSubscriptions), positionInstant: byCreation.instant })
      .from(smsSubscriptions)
      .where(and(...conditions))
      .orderBy(byCreation.orderBy)
      .limit(query.limit);
    return rows.map((row) => positioned(fromRow(row), row.positionInstant));
  }

  /** Erases the subscription and with it the number; its deliveries go with it (ON DELETE CASCADE). */
  async delete(id: string, tx: SmsSubscriptionsWriter = this.db): Promise<boolean> {
    const deleted = await tx
      .delete(smsSubscriptions)
      .where(eq(smsSubscriptions.id, id))
      .returning({ id: smsSubscriptions.id });
    return deleted.length > 0;
  }
}

function toRow(s: SmsSubscription): typeof smsSubscriptions.$inferInsert {
  const { filter, ...rest } = s;
  return { ...rest, ...filterColumns(filter) };
}

function fromRow(row: typeof smsSubscriptions.$inferSelect): SmsSubscription {
  return {
    id: row.id,
    phone: row.phone,
    filter: filterOfColumns(row),
    exercises: row.exercises,
    status: row.status as SmsSubscriptionStatus,
    language: row.language,
    codeHash: row.codeHash,
    codeSentAt: row.codeSentAt,
    codesToday: row.codesToday,
    wrongCodes: row.wrongCodes,
    lockedUntil: row.lockedUntil,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    confirmedAt: row.confirmedAt,
    unsubscribedAt: row.unsubscribedAt,
    activeFrom: row.activeFrom,
    activeUntil: row.activeUntil,
    tripSummarySentAt: row.tripSummarySentAt,
  };
}
