import { Inject, Injectable } from '@nestjs/common';
import {
  CompiledStatement,
  compiledStatement,
  DATABASE,
  Database,
  KeysetWindow,
  newestFirst,
  Positioned,
  positioned,
  queryPrepared,
  queryRows,
  tables,
  textArray,
} from '@tocsin/database';
import { EventChange, eventChangeRowsSql, LevelChangedEvent, OutboxRepository } from '@tocsin/declarations';
import {
  eventInTripSql,
  FilterEvent,
  subscriberMatchesChangeSql,
  SubscriptionFilter,
} from '@tocsin/subscribers';
import type { SealedSigningSecrets } from '@tocsin/webhooks';
import { newDeliveryStatusSql } from './digest-hold';
import { and, asc, eq, getTableColumns, gt, gte, lt, max, min, or, Placeholder, SQL, sql } from 'drizzle-orm';

export const CHANNELS = ['webhook', 'email', 'sms'] as const;
export type ChannelName = (typeof CHANNELS)[number];
// `sent`: an SMS the SMSC took, waiting for its delivery receipt to say delivered or failed (DESIGN §5.5).
// `held`: an email waiting for its subscriber's digest (digest-hold.ts); no attempt is made until it goes.
export const DELIVERY_STATUSES = ['pending', 'sent', 'delivered', 'failed', 'skipped', 'held'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: string;
  eventId: string;
  channel: ChannelName;
  webhookEndpointId: string | null;
  emailSubscriptionId: string | null;
  smsSubscriptionId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastLatencyMs: number | null;
  responseExcerpt: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface DeliveryAttempt {
  attempt: number;
  at: Date;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
}

/**
 * What sending any pending delivery needs: the attempts made so far and its event. The deliveries of one
 * event share one parsed `payload` and one `payloadJson` (the webhook body), so a batch makes each once.
 */
interface PendingDelivery {
  id: string;
  eventId: string;
  attempts: number;
  payload: LevelChangedEvent;
  payloadJson: string;
}

/** A webhook delivery to send, with its endpoint's URL and sealed signing secrets. */
export interface WebhookDeliveryToSend extends PendingDelivery {
  channel: 'webhook';
  endpoint: SealedSigningSecrets & {
    url: string;
    enabled: boolean;
    /** The body's shape (DESIGN §5.5): `standard`, or a chat service's (slack, teams, discord, telegram). */
    format: string;
    /** The chat a `telegram` endpoint posts to. */
    telegramChatId: string | null;
  };
}

/** What mailing an email subscription needs to know of it: an alert, a digest, a trip's summary. */
export interface EmailRecipient {
  id: string;
  address: string;
  status: string;
  tokenVersion: number;
  filter: SubscriptionFilter;
  /** BCP 47 tag and IANA zone (null: the area's) its mails are written in. */
  language: string;
  timeZone: string | null;
}

/** An email delivery to send, with its subscription. */
export interface EmailDeliveryToSend extends PendingDelivery {
  channel: 'email';
  subscription: EmailRecipient;
}

/** An SMS delivery to send, with its subscription. */
export interface SmsDeliveryToSend extends PendingDelivery {
  channel: 'sms';
  subscription: {
    id: string;
    phone: string;
    status: string;
    filter: SubscriptionFilter;
    /** BCP 47 tag its alerts are written in. */
    language: string;
  };
}

/** A delivery with what sending it needs, by channel: the `channel` says which subscriber it has. */
export type DeliveryToSend = WebhookDeliveryToSend | EmailDeliveryToSend | SmsDeliveryToSend;
export type DeliveryToSendOn<C extends ChannelName> = Extract<DeliveryToSend, { channel: C }>;

/** One page of a fan-out: its last candidate, and the first attempts still to make to its subscribers. */
export interface FanOutPage {
  last: string;
  firstAttempts: string[];
  /** Whether the page had all the candidates it may have: only then may there be another. */
  full: boolean;
}

/** A failed delivery made pending again, with the attempts it has had. */
export interface ReopenedDelivery {
  id: string;
  attempts: number;
}

/** What one attempt came to, to write back set-wise. */
export interface AttemptOutcome {
  deliveryId: string;
  attempt: number;
  at: Date;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  responseExcerpt: string | null;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  /** An SMS's parts by the message ids the SMSC gave them, whose receipts will settle it (`sent`). */
  smsMessageIds?: string[];
}

export interface DeliveryQuery extends KeysetWindow {
  status?: DeliveryStatus;
  webhookEndpointId?: string;
  /** Only deliveries to endpoints of this API key (an integrator's own). */
  ownerKeyId?: string;
}

const { deliveries, deliveryAttempts, webhookEndpoints } = tables;

// (webhook_endpoint_id, created_at) serves one endpoint's log; the whole log (admins) and an integrator's
// (by owner) have no index on (created_at, id).
const byCreation = newestFirst(deliveries.createdAt, deliveries.id);

// The event's changes (read from their owner, OutboxRepository.changesOf) as rows `ch`, for the one filter
// rule in SQL: one JSON parameter however many areas (`changesJson`).
const eventChanges = (changes: Placeholder) =>
  sql`jsonb_to_recordset(${changes}::jsonb)
    as ch(area_code text, scheme_id text, previous_rank int, current_rank int, direction text)`;
const changesJson = (changes: EventChange[]) =>
  JSON.stringify(
    changes.map((c) => ({
      area_code: c.areaCode,
      scheme_id: c.schemeId,
      previous_rank: c.previousRank,
      current_rank: c.currentRank,
      direction: c.direction,
    })),
  );

const SUBSCRIBERS: Record<ChannelName, { table: SQL; areaKeys: SQL; column: SQL; eligible: SQL }> = {
  webhook: {
    table: sql.raw('webhook_endpoints'),
    areaKeys: sql.raw('webhook_endpoint_area_keys'),
    column: sql.raw('webhook_endpoint_id'),
    eligible: sql.raw('s.enabled'),
  },
  email: {
    table: sql.raw('email_subscriptions'),
    areaKeys: sql.raw('email_subscription_area_keys'),
    column: sql.raw('email_subscription_id'),
    eligible: sql.raw(`s.status = 'confirmed'`),
  },
  sms: {
    table: sql.raw('sms_subscriptions'),
    areaKeys: sql.raw('sms_subscription_area_keys'),
    column: sql.raw('sms_subscription_id'),
    eligible: sql.raw(`s.status = 'confirmed'`),
  },
};

// `dlv_` and 32 hex digits as before, the first 12 the milliseconds of the clock: ids of one fan-out are
// near each other in the primary key, so its inserts fill the index's last pages instead of dirtying
// pages all over it.
const newDeliveryId =
  sql.raw(`'dlv_' || lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0')
  || substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)`);

// The area keys (migration 0007) that find the subscribers a change of `ch.area_code` may concern: '*', the
// area, and its country (a subdivision) or the subdivisions' `in:` key (a country).
const changeAreaKeys = sql.raw(`unnest(array['*', ch.area_code,
  case when position('-' in ch.area_code) > 0 then split_part(ch.area_code, '-', 1) else 'in:' || ch.area_code end])`);

/** A row of a fan-out page's answer. */
interface PageRow {
  last_id: string | null;
  size: number;
  first_attempts: string[];
}

/** The first pages of a fan-out, with the event's changes they were made for (none: nothing to fan out). */
export interface FirstPages {
  changes: EventChange[];
  pages: Record<ChannelName, FanOutPage | null>;
  /** The pages' first attempts ready to send, when the pages are the whole fan-out and these few. */
  toSend: DeliveryToSend[] | null;
}

/** The values of a page's statement, placeholders of a compiled statement (`compiledStatement`). */
const PAGE = {
  eventId: sql.placeholder('eventId'),
  changes: sql.placeholder('changes'),
  after: sql.placeholder('after'),
  size: sql.placeholder('size'),
};
type PageValues = { eventId: string; changes: string; after: string; size: number };

/**
 * One page of a fan-out for one channel as common table expressions named after the channel (so that a
 * statement may hold one for each), and the select that answers it as one row. `changeRows` is the event's
 * changes as a FROM item aliased `ch`; the event, the cursor and the page's size are the placeholders of
 * PAGE, so that the text is built once. Also answers the names of its candidates' and first attempts'
 * expressions, for a statement that reads them further (the first pages').
 */
function pageOf(
  channel: ChannelName,
  changeRows: SQL,
  after: SQL | Placeholder,
): { ctes: SQL; answer: SQL; candidate: SQL; firstAttempt: SQL } {
  const { eventId, size } = PAGE;
  const { table, areaKeys, column, eligible } = SUBSCRIBERS[channel];
  const name = (cte: string) => sql.raw(`${cte}_${channel}`);
  const [areaKey, candidate, page, inserted, unattempted, firstAttempt] = [
    'area_key',
    'candidate',
    'page',
    'inserted',
    'unattempted',
    'first_attempt',
  ].map(name);
  // A page is the next `size` candidates by id: the subscribers under the changes' area keys, each key's
  // index range read from the cursor on, at most `size` from each. Only then are the candidates joined to
  // their rows and held to the filter rule, so a page costs about its own rows whatever the planner
  // thinks of the filter (asked to find `size` matches instead, it drove the join from the subscriber
  // table in id order, and for a key no one has, `*` or `in:KZ`, read every subscriber on every page).
  // Each candidate's row is read by primary key (a lateral `limit 1` the planner cannot turn into a hash
  // join over a scan of the whole table).
  // A page may therefore bring fewer deliveries than candidates, and still not be the last.
  // `unattempted` reads the statement's snapshot: rows of an earlier run, not those `inserted` makes.
  // A digest subscriber's delivery of changes below its threshold is held for its digest (digest-hold.ts).
  const status =
    channel === 'email'
      ? newDeliveryStatusSql('s', changeRows, subscriberMatchesChangeSql('s', 'ch'))
      : sql`'pending'`;
  const ctes = sql`${areaKey} as (
      select distinct k from ${changeRows}, ${changeAreaKeys} as k
    ), ${candidate} as (
      select distinct c.subscriber_id from ${areaKey} area_key, lateral (
        select a.subscriber_id from ${areaKeys} a
        where a.key = area_key.k and a.subscriber_id > ${after}
        order by a.subscriber_id limit ${size}
      ) c
      order by c.subscriber_id limit ${size}
    ), ${page} as (
      select s.id, s.status from ${candidate} c, lateral (
        select s.id, ${status} as status from ${table} s
        where s.id = c.subscriber_id and ${eligible}
          and (s.exercises or (select o.mode = 'actual' from outbox o where o.event_id = ${eventId}))
          ${channel === 'webhook' ? sql`` : sql`and ${eventInTripSql('s', eventId)}`}
          and exists (select 1 from ${changeRows} where ${subscriberMatchesChangeSql('s', 'ch')})
        limit 1
      ) s
    ), ${inserted} as (
      insert into deliveries (id, event_id, channel, ${column}, status)
      select ${newDeliveryId}, ${eventId}, ${channel}, page.id, page.status from ${page} page
      on conflict do nothing
      returning id, ${column} as subscriber_id, status
    ), ${unattempted} as (
      select d.id, d.${column} as subscriber_id from deliveries d join ${page} page on d.${column} = page.id
      where d.event_id = ${eventId} and d.status = 'pending' and d.attempts = 0
    ), ${firstAttempt} as (
      select id, subscriber_id from ${inserted} where status = 'pending' union all select * from ${unattempted}
    )`;
  const answer = sql`select ${channel}::text as channel,
      (select max(subscriber_id) from ${candidate}) as last_id,
      (select count(*)::int from ${candidate}) as size,
      coalesce((select json_agg(f.id order by f.subscriber_id) from ${firstAttempt} f), '[]'::json)
        as first_attempts`;
  return { ctes, answer, candidate, firstAttempt };
}

/** A page as the fan-out sees it; null when it had no candidates (there are no more). */
function fanOutPageOf(row: PageRow | undefined, size: number): FanOutPage | null {
  return row?.last_id
    ? { last: row.last_id, firstAttempts: row.first_attempts, full: row.size >= size }
    : null;
}

// The first pages' statement reads the event's changes itself (its owner's query), once for every channel.
const FIRST_PAGE_CHANGES = sql.raw('event_change ch');

/** A later page of one channel's fan-out, one compiled statement a channel. */
const PAGE_STATEMENTS = Object.fromEntries(
  CHANNELS.map((channel) => [
    channel,
    compiledStatement<PageRow, PageValues>(() => {
      const page = pageOf(channel, eventChanges(PAGE.changes), PAGE.after);
      return sql`with ${page.ctes} ${page.answer}`;
    }),
  ]),
) as Record<ChannelName, CompiledStatement<PageRow, PageValues>>;

/** A first page's row: the page, and on the first channel's the event's changes and what to send. */
type FirstPageRow = PageRow & {
  channel: ChannelName;
  changes: EventChange[] | null;
  to_send: (ToSendRow & { payload: LevelChangedEvent | null })[] | null;
};

/**
 * Every channel's first page, with the event's changes they were made for, in one statement; when the
 * pages are the whole fan-out and their first attempts no more than `sendUpTo`, these too, ready to send
 * (`toSend`'s rows): an alert to a few subscribers waits for no second round trip before its first send.
 */
const FIRST_PAGES_STATEMENT = compiledStatement<
  FirstPageRow,
  { eventId: string; size: number; sendUpTo: number }
>(() => {
  const pages = CHANNELS.map((channel) => pageOf(channel, FIRST_PAGE_CHANGES, sql`''`));
  const subscriberColumns = (channel: ChannelName) =>
    sql.join(
      CHANNELS.map(
        (c) => sql`${c === channel ? sql`f.subscriber_id` : sql`null::text`} as ${SUBSCRIBERS[c].column}`,
      ),
      sql`, `,
    );
  // The first attempts as rows of `deliveries` would read, and the event, for the select toSend makes.
  const firstBatch = sql`first_batch as (${sql.join(
    CHANNELS.map(
      (channel, i) => sql`select f.id, ${PAGE.eventId}::text as event_id, ${channel}::text as channel,
        0 as attempts, ${subscriberColumns(channel)}
        from ${pages[i].firstAttempt} f`,
    ),
    sql` union all `,
  )}), first_event as materialized (
    select o.event_id, o.payload from outbox o where o.event_id = ${PAGE.eventId} and o.payload is not null
  )`;
  const small = sql`(select count(*) from first_batch) <= ${sql.placeholder('sendUpTo')} and ${sql.join(
    pages.map((p) => sql`(select count(*) from ${p.candidate}) < ${PAGE.size}`),
    sql` and `,
  )}`;
  return sql`with event_change as materialized (${eventChangeRowsSql(PAGE.eventId)}), ${sql.join(
    pages.map((p) => p.ctes),
    sql`, `,
  )}, ${firstBatch} ${sql.join(
    pages.map((p, i) =>
      // The changes and what to send once, on the first channel's row.
      i === 0
        ? sql`${p.answer},
            (select json_agg(json_build_object('areaCode', area_code, 'schemeId', scheme_id,
              'previousRank', previous_rank, 'currentRank', current_rank, 'direction', direction)
              order by area_code, scheme_id) from event_change) as changes,
            case when ${small} then coalesce(
              (select json_agg(t) from (${toSendSql(sql`first_batch`, sql`first_event`)} order by d.id) t),
              '[]'::json) end as to_send`
        : sql`${p.answer}, null::json as changes, null::json as to_send`,
    ),
    sql` union all `,
  )}`;
});

// What sending a delivery needs, for rows of `deliveries` in `batch` and their events' payloads in
// `events`: toSend's select, and the first pages' for their own first attempts. Each event's payload comes
// on its first row only: a batch of a hundred rows of one event carries and parses it once.
const toSendSql = (batch: SQL, events: SQL) => sql`select d.id, d.event_id, d.channel, d.attempts,
    d.webhook_endpoint_id, d.email_subscription_id, d.sms_subscription_id,
    m.phone, m.status as sms_status, m.areas as sms_areas, m.scheme_id as sms_scheme_id,
    m.min_rank as sms_min_rank, m.events as sms_events, m.language as sms_language,
    w.url, w.enabled, w.format, w.telegram_chat_id, w.secret, w.previous_secret, w.previous_secret_expires_at,
    e.email, e.status as subscription_status, e.token_version, e.areas, e.scheme_id, e.min_rank, e.events,
    e.language, e.time_zone,
    case when row_number() over (partition by d.event_id order by d.id) = 1 then ev.payload end as payload
  from ${batch} d
  left join webhook_endpoints w on w.id = d.webhook_endpoint_id
  left join email_subscriptions e on e.id = d.email_subscription_id
  left join sms_subscriptions m on m.id = d.sms_subscription_id
  left join ${events} ev on ev.event_id = d.event_id`;

/** toSend's rows as deliveries to send, each event's payload parsed and serialised once. */
function deliveriesToSend(rows: (ToSendRow & { payload: LevelChangedEvent | null })[]): DeliveryToSend[] {
  const events = new Map<string, { payload: LevelChangedEvent; payloadJson: string }>();
  for (const { event_id: eventId, payload } of rows)
    if (payload) events.set(eventId, { payload, payloadJson: JSON.stringify(payload) });
  return rows.map((r) => {
    const event = events.get(r.event_id);
    // A delivery references its outbox row (a foreign key), so this is a broken database, not a race.
    if (!event) throw new Error(`delivery ${r.id} has no outbox event ${r.event_id}`);
    return toSendOf(r, event.payload, event.payloadJson);
  });
}

@Injectable()
export class DeliveriesRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * Creates the delivery rows of one page of subscribers matching `changes`, the event's (keyset by subscriber
   * id, so memory stays flat however many there are), and answers the page's last candidate id with the
   * first attempts still to make to its subscribers, by subscriber; null when there are no more. Re-running
   * is harmless: existing rows are left as they are, and only those not yet attempted are answered. An
   * exercise or test (outbox.mode) reaches only subscribers who opted into them (DESIGN.md §5.4). One
   * statement, so that the fan-out waits for one round trip a page.
   */
  async createPage(
    channel: ChannelName,
    eventId: string,
    changes: EventChange[],
    after: string,
    size: number,
  ): Promise<FanOutPage | null> {
    const [row] = await PAGE_STATEMENTS[channel](this.db, {
      eventId,
      changes: changesJson(changes),
      after,
      size,
    });
    return fanOutPageOf(row, size);
  }

  /**
   * The first page of every channel (`createPage` from the start) and the event's changes they were made
   * for, in one statement: a small fan-out waits for one round trip, not one a channel and one for the
   * changes. Each channel's page is the same query as `createPage`'s, planned on its own, so a page costs
   * what it did alone however many subscribers there are. An event with no changes (not rendered, or not
   * there) gets no deliveries. When no page is full and they make at most `sendUpTo` first attempts, these
   * come as `toSend` would answer them, so that a small fan-out sends them without asking again.
   */
  async createFirstPages(eventId: string, size: number, sendUpTo: number): Promise<FirstPages> {
    const rows = await FIRST_PAGES_STATEMENT(this.db, { eventId, size, sendUpTo });
    const byChannel = new Map(rows.map((row) => [row.channel, row]));
    const toSend = byChannel.get(CHANNELS[0])?.to_send ?? null;
    return {
      changes: byChannel.get(CHANNELS[0])?.changes ?? [],
      toSend: toSend && deliveriesToSend(toSend),
      pages: Object.fromEntries(
        CHANNELS.map((channel) => [channel, fanOutPageOf(byChannel.get(channel), size)]),
      ) as Record<ChannelName, FanOutPage | null>,
    };
  }

  /**
   * The pending deliveries among `ids`; with `attempt`, only those whose next attempt is that one. Rows of
   * one event share one parsed payload and its JSON text, so a batch parses and serialises it once. One
   * statement: a small fan-out sends its own batch, and waits for this before its first send.
   */
  async toSend(ids: string[], attempt?: number): Promise<DeliveryToSend[]> {
    if (!ids.length) return [];
    // The batch is fetched by primary key before its rows are filtered: given `status = 'pending'` beside
    // the ids, the planner goes by the status index on statistics taken before the fan-out, and reads every
    // pending delivery for each batch (10 ms a batch at 5,000 deliveries, growing with the fan-out).
    // The events' payloads are the outbox's, as OutboxRepository.payloadsOf reads them.
    const rows = await queryPrepared<ToSendRow & { payload: LevelChangedEvent | null }>(
      this.db,
      sql`with batch as materialized (select * from deliveries where id = any(${textArray(ids)})),
          event as materialized (
            select o.event_id, o.payload from outbox o
            where o.event_id in (select distinct event_id from batch) and o.payload is not null
          )
          ${toSendSql(sql`batch`, sql`event`)}
          where d.status = 'pending' ${attempt === undefined ? sql`` : sql`and d.attempts = ${attempt - 1}`}
          order by d.event_id, d.id`,
    );
    return deliveriesToSend(rows);
  }

  /**
   * Writes a batch of attempts back in one statement, however many there are: each delivery whose attempt it
   * was, and a log row for each attempt that counted (a stale duplicate's is not logged twice) but a first
   * that succeeded: the delivery row itself says all of that one, and most deliveries are that one (`findById`
   * reads it back from the row). The outcomes
   * travel as one JSON parameter, and the rows are found by primary key (`= any`): joined to the outcomes
   * alone, the planner hashes a sequential scan of every delivery for each batch.
   */
  async record(outcomes: AttemptOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    await queryPrepared(
      this.db,
      sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as v(
          "deliveryId" text, attempt int, at timestamptz, ok boolean, "statusCode" int, error text,
          "latencyMs" int, "responseExcerpt" text, status text, "nextAttemptAt" timestamptz,
          "smsMessageIds" jsonb)
      ), updated as (
        update deliveries d set
          status = v.status, attempts = v.attempt, next_attempt_at = v."nextAttemptAt",
          last_status_code = v."statusCode", last_error = v.error, last_latency_ms = v."latencyMs",
          response_excerpt = v."responseExcerpt", updated_at = v.at,
          delivered_at = case when v.status = 'delivered' then v.at else d.delivered_at end
        from v
        where d.id = any(${textArray(outcomes.map((o) => o.deliveryId))})
          and d.id = v."deliveryId" and d.attempts = v.attempt - 1
        returning v.*
      ), parts as (
        -- An SMS's parts in the same statement as its outcome: one write a batch, not one a text. An id the
        -- SMSC gave before is now this part's.
        insert into sms_parts (message_id, delivery_id, part, status, submitted_at)
        select m.id, u."deliveryId", m.ord, 'submitted', u.at
        from updated u, jsonb_array_elements_text(u."smsMessageIds") with ordinality as m(id, ord)
        where u."smsMessageIds" is not null
        on conflict (message_id) do update set delivery_id = excluded.delivery_id, part = excluded.part,
          status = 'submitted', submitted_at = excluded.submitted_at, receipt_at = null
      )
      insert into delivery_attempts (delivery_id, attempt, at, ok, status_code, error, latency_ms, response_excerpt)
      select "deliveryId", attempt, at, ok, "statusCode", error, "latencyMs", "responseExcerpt" from updated
      where not (attempt = 1 and ok)
      on conflict do nothing`,
    );
  }

  async markSkipped(ids: string[], reason: string, now: Date): Promise<void> {
    if (!ids.length) return;
    await this.db.execute(sql`
      update deliveries set status = 'skipped', last_error = ${reason}, updated_at = ${now}, next_attempt_at = null
      where id = any(${textArray(ids)}) and status = 'pending'`);
  }

  /**
   * Pending deliveries whose job seems lost: a retry long overdue, and, with `firstAttempts`, a first attempt
   * long not made.
   */
  async lost(olderThan: Date, limit: number, firstAttempts: boolean): Promise<ReopenedDelivery[]> {
    return this.db
      .select({ id: deliveries.id, attempts: deliveries.attempts })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.status, 'pending'),
          or(
            and(gt(deliveries.attempts, 0), lt(deliveries.nextAttemptAt, olderThan)),
            firstAttempts ? and(eq(deliveries.attempts, 0), lt(deliveries.createdAt, olderThan)) : undefined,
          ),
        ),
      )
      .orderBy(asc(deliveries.createdAt))
      .limit(limit);
  }

  /** Makes one failed delivery pending again for a replay; none if it is not failed (any more). */
  reopenFailed(id: string, now: Date): Promise<ReopenedDelivery[]> {
    return this.reopen(eq(deliveries.id, id), now);
  }

  /** Makes the failed deliveries to an endpoint created since `since` pending again, for a replay. */
  reopenFailedToEndpoint(webhookEndpointId: string, since: Date, now: Date): Promise<ReopenedDelivery[]> {
    return this.reopen(
      and(eq(deliveries.webhookEndpointId, webhookEndpointId), gte(deliveries.createdAt, since)),
      now,
    );
  }

  private async reopen(which: SQL | undefined, now: Date): Promise<ReopenedDelivery[]> {
    return this.db
      .update(deliveries)
      .set({ status: 'pending', nextAttemptAt: now, updatedAt: now })
      .where(and(eq(deliveries.status, 'failed'), which))
      .returning({ id: deliveries.id, attempts: deliveries.attempts });
  }

  /**
   * The latest `count` settled (delivered, sent or failed) email deliveries of each subscription, newest
   * first by creation, across events: the bounce rule's input, for a whole batch in one statement. Pending
   * and skipped ones say nothing about the address. Only deliveries created since the subscription last
   * changed count, so an admin's resume (or a confirmation) starts the count afresh. The rows one digest
   * settled (the same digest_due_at) were one email: they count once, as its newest. Each subscription's
   * rows are read through its delivery index (a lateral `limit`), never a scan of the table.
   */
  async latestSettledEmailDeliveries(
    subscriptionIds: string[],
    count: number,
  ): Promise<Map<string, import('./email-bounces').SettledEmailDelivery[]>> {
    const latest = new Map<string, import('./email-bounces').SettledEmailDelivery[]>();
    if (!subscriptionIds.length) return latest;
    const rows = await queryRows<{
      subscription_id: string;
      status: 'delivered' | 'sent' | 'failed';
      last_status_code: number | null;
      last_error: string | null;
    }>(
      this.db,
      sql`select s.id as subscription_id, d.status, d.last_status_code, d.last_error
        from email_subscriptions s, lateral (
          select d.id, d.status, d.last_status_code, d.last_error, d.created_at from (
            select d.id, d.status, d.last_status_code, d.last_error, d.created_at, d.digest_due_at,
              row_number() over (partition by d.digest_due_at order by d.created_at desc, d.id desc) as nth
            from deliveries d
            where d.email_subscription_id = s.id and d.status in ('delivered', 'sent', 'failed')
              and d.created_at > s.updated_at
          ) d
          where d.digest_due_at is null or d.nth = 1
          order by d.created_at desc, d.id desc limit ${count}
        ) d
        where s.id = any(${textArray(subscriptionIds)})
        order by s.id, d.created_at desc, d.id desc`,
    );
    for (const row of rows) {
      const settled = latest.get(row.subscription_id) ?? [];
      settled.push({ status: row.status, statusCode: row.last_status_code, error: row.last_error });
      latest.set(row.subscription_id, settled);
    }
    return latest;
  }

  async findById(
    id: string,
  ): Promise<(Delivery & { attemptsLog: DeliveryAttempt[]; ownerKeyId: string | null }) | null> {
    const [row] = await this.db
      .select({ ...getTableColumns(deliveries), ownerKeyId: webhookEndpoints.ownerKeyId })
      .from(deliveries)
      .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, deliveries.webhookEndpointId))
      .where(eq(deliveries.id, id));
    if (!row) return null;
    const attemptsLog: DeliveryAttempt[] = await this.db
      .select({
        attempt: deliveryAttempts.attempt,
        at: deliveryAttempts.at,
        ok: deliveryAttempts.ok,
        statusCode: deliveryAttempts.statusCode,
        error: deliveryAttempts.error,
        latencyMs: deliveryAttempts.latencyMs,
        responseExcerpt: deliveryAttempts.responseExcerpt,
      })
      .from(deliveryAttempts)
      .where(eq(deliveryAttempts.deliveryId, id))
      .orderBy(asc(deliveryAttempts.attempt));
    const delivery = toDelivery(row);
    // A first attempt that succeeded has no log row (see `record`): the delivery row is its record.
    if (delivery.attempts === 1 && !attemptsLog.length && ['sent', 'delivered'].includes(delivery.status))
      attemptsLog.push(firstSuccessOf(delivery));
    return { ...delivery, ownerKeyId: row.ownerKeyId, attemptsLog };
  }

  /** Newest first. */
  async findMany(query: DeliveryQuery): Promise<Positioned<Delivery>[]> {
    const rows = await this.db
      .select({ ...getTableColumns(deliveries), positionInstant: byCreation.instant })
      .from(deliveries)
      .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, deliveries.webhookEndpointId))
      .where(
        and(
          query.status === undefined ? undefined : eq(deliveries.status, query.status),
          query.webhookEndpointId === undefined
            ? undefined
            : eq(deliveries.webhookEndpointId, query.webhookEndpointId),
          query.ownerKeyId === undefined ? undefined : eq(webhookEndpoints.ownerKeyId, query.ownerKeyId),
          query.after && byCreation.after(query.after),
        ),
      )
      .orderBy(byCreation.orderBy)
      .limit(query.limit);
    return rows.map((row) => positioned(toDelivery(row), row.positionInstant));
  }

  /** When the first delivery to an endpoint failed that came after its last success; null if none failed since. */
  async firstFailureSinceSuccess(webhookEndpointId: string): Promise<Date | null> {
    const lastSuccess = this.db
      .select({ at: max(deliveries.deliveredAt) })
      .from(deliveries)
      .where(and(eq(deliveries.webhookEndpointId, webhookEndpointId), eq(deliveries.status, 'delivered')));
    const [row] = await this.db
      .select({ first: min(deliveries.createdAt) })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.webhookEndpointId, webhookEndpointId),
          eq(deliveries.status, 'failed'),
          gt(deliveries.createdAt, sql`coalesce((${lastSuccess}), '-infinity'::timestamptz)`),
        ),
      );
    return row?.first ?? null;
  }

  /**
   * The deliveries of every event of a declaration due by `now` (its start, then perhaps its expiry or
   * cancellation), counted by channel and status; with `ownerKeyId`, only those to that key's endpoints.
   * Null for an unknown declaration. One statement: the console polls it every second while a fan-out runs.
   * `recent` counts those that came to delivered or failed after `recentSince`, for the rate.
   */
  async countsOfDeclaration(
    declarationId: string,
    now: Date,
    recentSince: Date,
    ownerKeyId?: string,
  ): Promise<DeclarationDeliveryCounts | null> {
    // Deliveries have no index led by event_id (each one costs every insert and update, migration 0010), so
    // this reads them all: 20,000 in 25-70 ms on the test machine. `= any(array(…))` rather than `in (…)`,
    // so that an index on (event_id) would serve it (0.4 ms for a declaration of 100 among 20,000, issue 18).
    // An event is settled once every subscriber has its row (fanned_out_at), or when it announces nothing:
    // skipped (superseded before it started) or rendered with no changes (the fan-out marks neither).
    const rows = await queryRows<CountsRow>(
      this.db,
      sql`with event as materialized (
          select o.event_id,
            (o.fanned_out_at is not null or o.skipped_reason is not null
              or (o.payload is not null
                and not exists (select 1 from outbox_changes c where c.event_id = o.event_id))) as settled
          from outbox o
          where o.declaration_id = ${declarationId} and o.due_at <= ${now}
        ), counted as (
          select d.channel,
            count(*)::int as total,
            count(*) filter (where d.status = 'pending')::int as pending,
            count(*) filter (where d.status = 'sent')::int as sent,
            count(*) filter (where d.status = 'delivered')::int as delivered,
            count(*) filter (where d.status = 'failed')::int as failed,
            count(*) filter (where d.status = 'skipped')::int as skipped,
            count(*) filter (where d.status = 'held')::int as held,
            count(*) filter (where d.status in ('delivered', 'failed') and d.updated_at > ${recentSince})::int
              as recent,
            min(d.created_at) as started_at,
            max(d.delivered_at) as last_delivered_at,
            max(d.updated_at) filter (where d.status not in ('pending', 'held')) as last_settled_at
          from deliveries d
          ${ownerKeyId === undefined ? sql`` : sql`join webhook_endpoints w on w.id = d.webhook_endpoint_id`}
          where d.event_id = any(array(select event_id from event))
            ${ownerKeyId === undefined ? sql`` : sql`and w.owner_key_id = ${ownerKeyId}`}
          group by d.channel
        )
        select
          (select count(*)::int from event) as events,
          coalesce((select bool_and(settled) from event), false) as fanned_out,
          coalesce((select json_agg(counted) from counted), '[]'::json) as channels
        from declarations where id = ${declarationId}`,
    );
    const [row] = rows;
    if (!row) return null;
    const channels = (typeof row.channels === 'string' ? JSON.parse(row.channels) : row.channels) as
      ChannelCountsRow[] | null;
    const byChannel = Object.fromEntries(
      CHANNELS.map((channel) => [channel, { ...NO_DELIVERIES }]),
    ) as Record<ChannelName, DeliveryStatusCounts>;
    let startedAt: Date | null = null;
    let lastDeliveredAt: Date | null = null;
    let lastSettledAt: Date | null = null;
    let recent = 0;
    const earlier = (a: Date | null, b: Date | null) => (a && (!b || a < b) ? a : b);
    const later = (a: Date | null, b: Date | null) => (a && (!b || a > b) ? a : b);
    for (const c of channels ?? []) {
      const { total, pending, sent, delivered, failed, skipped, held } = c;
      byChannel[c.channel] = { total, pending, sent, delivered, failed, skipped, held };
      recent += c.recent;
      startedAt = earlier(c.started_at ? new Date(c.started_at) : null, startedAt);
      lastDeliveredAt = later(c.last_delivered_at ? new Date(c.last_delivered_at) : null, lastDeliveredAt);
      lastSettledAt = later(c.last_settled_at ? new Date(c.last_settled_at) : null, lastSettledAt);
    }
    const { events, fanned_out: fannedOut } = row;
    return { events, fannedOut, byChannel, startedAt, lastDeliveredAt, lastSettledAt, recent };
  }
}

export type DeliveryStatusCounts = Record<'total' | DeliveryStatus, number>;

const NO_DELIVERIES: DeliveryStatusCounts = {
  total: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  skipped: 0,
  held: 0,
};

/** What `countsOfDeclaration` finds. */
export interface DeclarationDeliveryCounts {
  /** Its events due so far. */
  events: number;
  /** Every one of them has settled: each matching subscriber has its delivery row (none may follow). */
  fannedOut: boolean;
  byChannel: Record<ChannelName, DeliveryStatusCounts>;
  /** When its first delivery row was made. */
  startedAt: Date | null;
  lastDeliveredAt: Date | null;
  /** When the last of them came to a status other than pending (or held for a digest). */
  lastSettledAt: Date | null;
  /** Deliveries that came to delivered or failed after `recentSince`. */
  recent: number;
}

interface ChannelCountsRow extends DeliveryStatusCounts {
  channel: ChannelName;
  recent: number;
  started_at: string | null;
  last_delivered_at: string | null;
  last_settled_at: string | null;
}

interface CountsRow {
  events: number;
  fanned_out: boolean;
  channels: ChannelCountsRow[] | string | null;
}

/** A row of `toSend`'s query. A delivery's subscriber is always there: deleting one deletes its deliveries. */
type ToSendRow = {
  id: string;
  event_id: string;
  attempts: number;
} & (
  | {
      channel: 'webhook';
      webhook_endpoint_id: string;
      url: string;
      enabled: boolean;
      format: string;
      telegram_chat_id: string | null;
      secret: string;
      previous_secret: string | null;
      previous_secret_expires_at: Date | string | null;
    }
  | {
      channel: 'email';
      email_subscription_id: string;
      email: string;
      subscription_status: string;
      token_version: number;
      areas: string[];
      scheme_id: string | null;
      min_rank: number | null;
      events: FilterEvent[] | null;
      language: string;
      time_zone: string | null;
    }
  | {
      channel: 'sms';
      sms_subscription_id: string;
      phone: string;
      sms_status: string;
      sms_areas: string[];
      sms_scheme_id: string | null;
      sms_min_rank: number | null;
      sms_events: FilterEvent[] | null;
      sms_language: string;
    }
);

function toSendOf(r: ToSendRow, payload: LevelChangedEvent, payloadJson: string): DeliveryToSend {
  const { id, event_id: eventId, attempts } = r;
  if (r.channel === 'webhook') {
    const expiresAt = r.previous_secret_expires_at;
    return {
      channel: 'webhook',
      id,
      eventId,
      attempts,
      payload,
      payloadJson,
      endpoint: {
        id: r.webhook_endpoint_id,
        url: r.url,
        enabled: r.enabled,
        format: r.format,
        telegramChatId: r.telegram_chat_id,
        secret: r.secret,
        previousSecret: r.previous_secret,
        previousSecretExpiresAt: expiresAt === null ? null : new Date(expiresAt),
      },
    };
  }
  if (r.channel === 'sms')
    return {
      channel: 'sms',
      id,
      eventId,
      attempts,
      payload,
      payloadJson,
      subscription: {
        id: r.sms_subscription_id,
        phone: r.phone,
        status: r.sms_status,
        filter: {
          areas: r.sms_areas,
          schemeId: r.sms_scheme_id,
          minRank: r.sms_min_rank,
          events: r.sms_events,
        },
        language: r.sms_language,
      },
    };
  return {
    channel: 'email',
    id,
    eventId,
    attempts,
    payload,
    payloadJson,
    subscription: {
      id: r.email_subscription_id,
      address: r.email,
      status: r.subscription_status,
      tokenVersion: r.token_version,
      filter: { areas: r.areas, schemeId: r.scheme_id, minRank: r.min_rank, events: r.events },
      language: r.language,
      timeZone: r.time_zone,
    },
  };
}

/** The log entry of a delivery's one attempt, a success, from the row that recorded it. */
function firstSuccessOf(delivery: Delivery): DeliveryAttempt {
  return {
    attempt: 1,
    at: delivery.deliveredAt ?? delivery.createdAt,
    ok: true,
    statusCode: delivery.lastStatusCode,
    error: delivery.lastError,
    latencyMs: delivery.lastLatencyMs,
    responseExcerpt: delivery.responseExcerpt,
  };
}

function toDelivery(row: typeof deliveries.$inferSelect): Delivery {
  return {
    id: row.id,
    eventId: row.eventId,
    channel: row.channel as ChannelName,
    webhookEndpointId: row.webhookEndpointId,
    emailSubscriptionId: row.emailSubscriptionId,
    smsSubscriptionId: row.smsSubscriptionId,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastLatencyMs: row.lastLatencyMs,
    responseExcerpt: row.responseExcerpt,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}
