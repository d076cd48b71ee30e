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
import { and, eq, getTableColumns, ilike, inArray, isNull, lt, SQL } from 'drizzle-orm';
import { DigestDelivery } from './digest-schedule';
import { filterColumns, filterOfColumns, SubscriptionFilter } from './subscription-filter';

const { emailSubscriptions } = tables;

/**
 * `suspended`: its address bounced permanently three times in a row (DESIGN.md §5.6) until an admin resumes it.
 * `ended`: its trip's activeUntil has passed (trips.repository.ts in libs/delivery ends it).
 */
export const EMAIL_SUBSCRIPTION_STATUSES = [
  'pending',
  'confirmed',
  'unsubscribed',
  'disabled',
  'suspended',
  'ended',
] as const;
export type EmailSubscriptionStatus = (typeof EMAIL_SUBSCRIPTION_STATUSES)[number];

export interface EmailSubscription {
  id: string;
  email: string;
  filter: SubscriptionFilter;
  /** Also receives exercises and tests (DESIGN.md §5.4); nobody else does. */
  exercises: boolean;
  status: EmailSubscriptionStatus;
  /** Canonical BCP 47 tag its mails and pages are written in (labels in the nearest UI language). */
  language: string;
  /** IANA zone of the times in its mails; null = the main zone of the area an alert is about. */
  timeZone: string | null;
  tokenVersion: number;
  createdAt: Date;
  updatedAt: Date;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  confirmationSentAt: Date | null;
  confirmationsToday: number;
  /** The trip (trip-window.ts): nothing is sent for an event outside [activeFrom, activeUntil). */
  activeFrom: Date | null;
  activeUntil: Date | null;
  /** When the trip's "current situation" email went out; null: not yet (or no trip start). */
  tripSummarySentAt: Date | null;
  /** Digests (DESIGN.md §5.6, digest-schedule.ts): how changes below `immediateMinRank` reach it, and when. */
  delivery: DigestDelivery;
  immediateMinRank: number | null;
  digestHour: number;
  digestWeekday: number;
  /** When its next digest is due (the sweep sends it then); null for immediate delivery. */
  nextDigestAt: Date | null;
}

export type EmailSubscriptionChanges = Partial<Omit<EmailSubscription, 'id' | 'email' | 'createdAt'>>;

export interface EmailSubscriptionQuery extends KeysetWindow {
  status?: EmailSubscriptionStatus;
  /** A part of the address. */
  search?: string;
}

/** The database or the transaction of an act: an erasure and its audit entry commit together. */
export type EmailSubscriptionsWriter = Pick<Database, 'insert' | 'update' | 'delete' | 'select'>;

// (status, created_at) serves a list of one status; the list of all has no index on (created_at, id).
const byCreation = newestFirst(emailSubscriptions.createdAt, emailSubscriptions.id);

@Injectable()
export class EmailSubscriptionsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: EmailSubscriptionsWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(tx));
  }

  /** Inserts unless the address exists; false when it does (two sign-ups racing). */
  async insert(subscription: EmailSubscription): Promise<boolean> {
    const inserted = await this.db
      .insert(emailSubscriptions)
      .values(toRow(subscription))
      .onConflictDoNothing()
      .returning({ id: emailSubscriptions.id });
    return inserted.length > 0;
  }

  async update(id: string, changes: EmailSubscriptionChanges): Promise<void> {
    const { filter, ...rest } = changes;
    await this.db
      .update(emailSubscriptions)
      .set({ ...rest, ...(filter ? filterColumns(filter) : {}) })
      .where(eq(emailSubscriptions.id, id));
  }

  /**
   * Records that a sign-up mail goes out now, unless another sign-up recorded one since `previous` was read:
   * two racing sign-ups then mail once. "Since" is "after `previous`'s millisecond": the column keeps
   * microseconds, a Date only milliseconds, and a recorded mail is always minutes later (signup-limits.ts).
   */
  async claimMailSlot(
    id: string,
    previous: Date | null,
    now: Date,
    confirmationsToday: number,
  ): Promise<boolean> {
    const claimed = await this.db
      .update(emailSubscriptions)
      .set({ confirmationSentAt: now, confirmationsToday })
      .where(
        and(
          eq(emailSubscriptions.id, id),
          previous
            ? lt(emailSubscriptions.confirmationSentAt, new Date(previous.getTime() + 1))
            : isNull(emailSubscriptions.confirmationSentAt),
        ),
      )
      .returning({ id: emailSubscriptions.id });
    return claimed.length > 0;
  }

  async findByEmail(email: string): Promise<EmailSubscription | null> {
    const [row] = await this.db.select().from(emailSubscriptions).where(eq(emailSubscriptions.email, email));
    return row ? fromRow(row) : null;
  }

  async findById(id: string): Promise<EmailSubscription | null> {
    const [row] = await this.db.select().from(emailSubscriptions).where(eq(emailSubscriptions.id, id));
    return row ? fromRow(row) : null;
  }

  /** Newest first. */
  async findMany(query: EmailSubscriptionQuery): Promise<Positioned<EmailSubscription>[]> {
    const conditions: (SQL | undefined)[] = [];
    if (query.status) conditions.push(eq(emailSubscriptions.status, query.status));
    if (query.search)
      conditions.push(ilike(emailSubscriptions.email, `%${query.search.replace(/[\\%_]/g, '\\$&')}%`));
    if (query.after) conditions.push(byCreation.after(query.after));
    const rows = await this.db
      .select({ ...getTableColumns(emailSubscriptions), positionInstant: byCreation.instant })
      .from(emailSubscriptions)
      .where(and(...conditions))
      .orderBy(byCreation.orderBy)
      .limit(query.limit);
    return rows.map((row) => positioned(fromRow(row), row.positionInstant));
  }

  /**
   * Suspends those of `ids` that are still confirmed, set-wise; answers the ids it suspended (one of a
   * subscription two batches suspend at once, and none that was unsubscribed meanwhile).
   */
  async suspend(ids: string[], at: Date, tx: EmailSubscriptionsWriter = this.db): Promise<string[]> {
    if (!ids.length) return [];
    const suspended = await tx
      .update(emailSubscriptions)
      .set({ status: 'suspended', updatedAt: at })
      .where(and(inArray(emailSubscriptions.id, ids), eq(emailSubscriptions.status, 'confirmed')))
      .returning({ id: emailSubscriptions.id });
    return suspended.map((row) => row.id);
  }

  /**
   * Confirmed again if it is suspended; false if it is not (any more). The new `updatedAt` starts the bounce
   * count afresh: only deliveries created after it count.
   */
  async resume(id: string, at: Date, tx: EmailSubscriptionsWriter = this.db): Promise<boolean> {
    const resumed = await tx
      .update(emailSubscriptions)
      .set({ status: 'confirmed', updatedAt: at })
      .where(and(eq(emailSubscriptions.id, id), eq(emailSubscriptions.status, 'suspended')))
      .returning({ id: emailSubscriptions.id });
    return resumed.length > 0;
  }

  /** Erases the subscription and with it the address. */
  async delete(id: string, tx: EmailSubscriptionsWriter = this.db): Promise<boolean> {
    const deleted = await tx
      .delete(emailSubscriptions)
      .where(eq(emailSubscriptions.id, id))
      .returning({ id: emailSubscriptions.id });
    return deleted.length > 0;
  }
}

function toRow(s: EmailSubscription): typeof emailSubscriptions.$inferInsert {
  const { filter, ...rest } = s;
  return { ...rest, ...filterColumns(filter) };
}

function fromRow(row: typeof emailSubscriptions.$inferSelect): EmailSubscription {
  return {
    id: row.id,
    email: row.email,
    filter: filterOfColumns(row),
    exercises: row.exercises,
    status: row.status as EmailSubscriptionStatus,
    language: row.language,
    timeZone: row.timeZone,
    tokenVersion: row.tokenVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    confirmedAt: row.confirmedAt,
    unsubscribedAt: row.unsubscribedAt,
    confirmationSentAt: row.confirmationSentAt,
    confirmationsToday: row.confirmationsToday,
    activeFrom: row.activeFrom,
    activeUntil: row.activeUntil,
    tripSummarySentAt: row.tripSummarySentAt,
    delivery: row.delivery as DigestDelivery,
    immediateMinRank: row.immediateMinRank,
    digestHour: row.digestHour,
    digestWeekday: row.digestWeekday,
    nextDigestAt: row.nextDigestAt,
  };
}
