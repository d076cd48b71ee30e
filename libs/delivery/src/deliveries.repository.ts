import { Inject, Injectable } from '@nestjs/common';
import {
  DATABASE,
  Database,
  KeysetWindow,
  newestFirst,
  Positioned,
  positioned,
  queryRows,
} from '@tocsin/database';
import { EventChange, LevelChangedEvent, OutboxRepository } from '@tocsin/declarations';
import { FilterEvent, subscriberMatchesChangeSql, SubscriptionFilter } from '@tocsin/subscribers';
import { SQL, sql } from 'drizzle-orm';

export const CHANNELS = ['webhook', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: string;
  eventId: string;
  channel: Channel;
  webhookEndpointId: string | null;
  emailSubscriptionId: string | null;
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

/** A delivery with what sending it needs: its event, and its endpoint or subscription. */
export interface DeliveryToSend extends Delivery {
  payload: LevelChangedEvent;
  /** The payload as the webhook body, serialised once for all the deliveries of its event. */
  payloadJson: string;
  webhook: {
    url: string;
    enabled: boolean;
    secret: string;
    previousSecret: string | null;
    previousSecretExpiresAt: Date | null;
  } | null;
  email: { address: string; status: string; tokenVersion: number; filter: SubscriptionFilter } | null;
}

/** What one attempt came to, to write back set-wise. */
export interface AttemptOutcome {
  deliveryId: string;
  attempt: number;
  at: Date;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
}

export interface DeliveryQuery extends KeysetWindow {
  status?: DeliveryStatus;
  webhookEndpointId?: string;
  /** Only deliveries to endpoints of this API key (an integrator's own). */
  ownerKeyId?: string;
}

// (webhook_endpoint_id, created_at) serves one endpoint's log; the whole log (admins) and an integrator's
// (by owner) have no index on (created_at, id).
const byCreation = newestFirst(sql.raw('d.created_at'), sql.raw('d.id'));

/**
 * `ids` as a SQL array built from one JSON parameter: one parameter however many ids (drizzle builds a list
 * of a hundred parameters slowly), and `id = any(…)` of it is planned as a primary-key lookup.
 */
const idArray = (ids: string[]) =>
  sql`array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;

// The event's changes (read from their owner, OutboxRepository.changesOf) as rows `ch`, for the one filter
// rule in SQL: one JSON parameter however many areas.
const eventChanges = (changes: EventChange[]) =>
  sql`jsonb_to_recordset(${JSON.stringify(
    changes.map((c) => ({
      area_code: c.areaCode,
      scheme_id: c.schemeId,
      previous_rank: c.previousRank,
      current_rank: c.currentRank,
      direction: c.direction,
    })),
  )}::jsonb) as ch(area_code text, scheme_id text, previous_rank int, current_rank int, direction text)`;

const SUBSCRIBERS: Record<Channel, { table: SQL; column: SQL; eligible: SQL }> = {
  webhook: {
    table: sql.raw('webhook_endpoints'),
    column: sql.raw('webhook_endpoint_id'),
    eligible: sql.raw('s.enabled'),
  },
  email: {
    table: sql.raw('email_subscriptions'),
    column: sql.raw('email_subscription_id'),
    eligible: sql.raw(`s.status = 'confirmed'`),
  },
};

@Injectable()
export class DeliveriesRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * Creates the delivery rows of one page of subscribers matching `changes`, the event's (keyset by subscriber
   * id, so memory stays flat however many there are) and returns the page's last subscriber id, or null when there are no more.
   * Re-running is harmless: existing rows are left as they are.
   */
  async createPage(
    channel: Channel,
    eventId: string,
    changes: EventChange[],
    after: string,
    size: number,
  ): Promise<string | null> {
    const { table, column, eligible } = SUBSCRIBERS[channel];
    const [row] = await queryRows<{ last_id: string | null }>(
      this.db,
      sql`with page as (
            select s.id from ${table} s
            where ${eligible} and s.id > ${after}
              and exists (select 1 from ${eventChanges(changes)} where ${subscriberMatchesChangeSql('s', 'ch')})
            order by s.id limit ${size}
          ), inserted as (
            insert into deliveries (id, event_id, channel, ${column}, status)
            select 'dlv_' || replace(gen_random_uuid()::text, '-', ''), ${eventId}, ${channel}, page.id, 'pending' from page
            on conflict do nothing
          )
          select max(id) as last_id from page`,
    );
    return row?.last_id ?? null;
  }

  /** First attempts still to make, of subscribers in (after, upTo]. */
  async firstAttemptsBetween(
    channel: Channel,
    eventId: string,
    after: string,
    upTo: string,
  ): Promise<string[]> {
    const { column } = SUBSCRIBERS[channel];
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`select id from deliveries
          where event_id = ${eventId} and ${column} > ${after} and ${column} <= ${upTo} and status = 'pending' and attempts = 0
          order by ${column}`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * The pending deliveries among `ids`; with `attempt`, only those whose next attempt is that one. Rows of
   * one event share one parsed payload and its JSON text, so a batch parses and serialises it once.
   */
  async toSend(ids: string[], attempt?: number): Promise<DeliveryToSend[]> {
    if (!ids.length) return [];
    // The batch is fetched by primary key before its rows are filtered: given `status = 'pending'` beside
    // the ids, the planner goes by the status index on statistics taken before the fan-out, and reads every
    // pending delivery for each batch (10 ms a batch at 5,000 deliveries, growing with the fan-out).
    const rows = await queryRows<Record<string, unknown>>(
      this.db,
      sql`with batch as materialized (select * from deliveries where id = any(${idArray(ids)}))
          select d.*, w.url, w.enabled, w.secret, w.previous_secret, w.previous_secret_expires_at,
            e.email, e.status as subscription_status, e.token_version, e.areas, e.scheme_id, e.min_rank, e.events
          from batch d
          left join webhook_endpoints w on w.id = d.webhook_endpoint_id
          left join email_subscriptions e on e.id = d.email_subscription_id
          where d.status = 'pending' ${attempt === undefined ? sql`` : sql`and d.attempts = ${attempt - 1}`}`,
    );
    if (!rows.length) return [];
    const payloads = await this.outbox.payloadsOf([...new Set(rows.map((r) => r.event_id as string))]);
    const events = new Map(
      [...payloads].map(([eventId, payload]) => [eventId, { payload, payloadJson: JSON.stringify(payload) }]),
    );
    return rows.map((r) => ({
      ...toDelivery(r),
      ...events.get(r.event_id as string)!,
      webhook:
        r.webhook_endpoint_id && r.url
          ? {
              url: r.url as string,
              enabled: r.enabled as boolean,
              secret: r.secret as string,
              previousSecret: (r.previous_secret as string | null) ?? null,
              previousSecretExpiresAt: r.previous_secret_expires_at
                ? new Date(r.previous_secret_expires_at as string)
                : null,
            }
          : null,
      email:
        r.email_subscription_id && r.email
          ? {
              address: r.email as string,
              status: r.subscription_status as string,
              tokenVersion: Number(r.token_version),
              filter: {
                areas: r.areas as string[],
                schemeId: (r.scheme_id as string | null) ?? null,
                minRank: r.min_rank === null ? null : Number(r.min_rank),
                events: (r.events as FilterEvent[] | null) ?? null,
              },
            }
          : null,
    }));
  }

  /**
   * Writes a batch of attempts back in one statement, however many there are: each delivery whose attempt it
   * was, and a log row for each attempt that counted (a stale duplicate's is not logged twice). The outcomes
   * travel as one JSON parameter, and the rows are found by primary key (`= any`): joined to the outcomes
   * alone, the planner hashes a sequential scan of every delivery for each batch.
   */
  async record(outcomes: AttemptOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    await this.db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb) as v(
          "deliveryId" text, attempt int, at timestamptz, ok boolean, "statusCode" int, error text,
          "latencyMs" int, "responseExcerpt" text, status text, "nextAttemptAt" timestamptz)
      ), updated as (
        update deliveries d set
          status = v.status, attempts = v.attempt, next_attempt_at = v."nextAttemptAt",
          last_status_code = v."statusCode", last_error = v.error, last_latency_ms = v."latencyMs",
          response_excerpt = v."responseExcerpt", updated_at = v.at,
          delivered_at = case when v.ok then v.at else d.delivered_at end
        from v
        where d.id = any(${idArray(outcomes.map((o) => o.deliveryId))})
          and d.id = v."deliveryId" and d.attempts = v.attempt - 1
        returning v.*
      )
      insert into delivery_attempts (delivery_id, attempt, at, ok, status_code, error, latency_ms, response_excerpt)
      select "deliveryId", attempt, at, ok, "statusCode", error, "latencyMs", "responseExcerpt" from updated
      on conflict do nothing`);
  }

  async markSkipped(ids: string[], reason: string, now: Date): Promise<void> {
    if (!ids.length) return;
    await this.db.execute(sql`
      update deliveries set status = 'skipped', last_error = ${reason}, updated_at = ${now}, next_attempt_at = null
      where id = any(${idArray(ids)}) and status = 'pending'`);
  }

  /**
   * Pending deliveries whose job seems lost: a retry long overdue, and, with `firstAttempts`, a first attempt
   * long not made.
   */
  async lost(
    olderThan: Date,
    limit: number,
    firstAttempts: boolean,
  ): Promise<{ id: string; attempts: number }[]> {
    return queryRows<{ id: string; attempts: number }>(
      this.db,
      sql`select id, attempts from deliveries
          where status = 'pending' and (
            (attempts > 0 and next_attempt_at < ${olderThan})
            ${firstAttempts ? sql`or (attempts = 0 and created_at < ${olderThan})` : sql``})
          order by created_at limit ${limit}`,
    );
  }

  /** Makes failed deliveries pending again for a replay; returns the ids and their next attempt numbers. */
  async reopen(where: SQL, now: Date): Promise<{ id: string; attempts: number }[]> {
    return queryRows<{ id: string; attempts: number }>(
      this.db,
      sql`update deliveries set status = 'pending', next_attempt_at = ${now}, updated_at = ${now}
          where status = 'failed' and ${where} returning id, attempts`,
    );
  }

  async findById(
    id: string,
  ): Promise<(Delivery & { attemptsLog: DeliveryAttempt[]; ownerKeyId: string | null }) | null> {
    const [row] = await queryRows<Record<string, unknown>>(
      this.db,
      sql`select d.*, w.owner_key_id from deliveries d left join webhook_endpoints w on w.id = d.webhook_endpoint_id where d.id = ${id}`,
    );
    if (!row) return null;
    const attempts = await queryRows<Record<string, unknown>>(
      this.db,
      sql`select * from delivery_attempts where delivery_id = ${id} order by attempt`,
    );
    return {
      ...toDelivery(row),
      ownerKeyId: (row.owner_key_id as string | null) ?? null,
      attemptsLog: attempts.map((a) => ({
        attempt: Number(a.attempt),
        at: new Date(a.at as string),
        ok: a.ok as boolean,
        statusCode: a.status_code === null ? null : Number(a.status_code),
        error: (a.error as string | null) ?? null,
        latencyMs: a.latency_ms === null ? null : Number(a.latency_ms),
        responseExcerpt: (a.response_excerpt as string | null) ?? null,
      })),
    };
  }

  /** Newest first. */
  async findMany(query: DeliveryQuery): Promise<Positioned<Delivery>[]> {
    const conditions: SQL[] = [sql`true`];
    if (query.status) conditions.push(sql`d.status = ${query.status}`);
    if (query.webhookEndpointId) conditions.push(sql`d.webhook_endpoint_id = ${query.webhookEndpointId}`);
    if (query.ownerKeyId) conditions.push(sql`w.owner_key_id = ${query.ownerKeyId}`);
    if (query.after) conditions.push(byCreation.after(query.after));
    const rows = await queryRows<Record<string, unknown> & { position_instant: string }>(
      this.db,
      sql`select d.*, ${byCreation.instant} as position_instant
          from deliveries d left join webhook_endpoints w on w.id = d.webhook_endpoint_id
          where ${sql.join(conditions, sql` and `)} order by ${byCreation.orderBy} limit ${query.limit}`,
    );
    return rows.map((row) => positioned(toDelivery(row), row.position_instant));
  }

  /** When the first delivery to an endpoint failed that came after its last success; null if none failed since. */
  async firstFailureSinceSuccess(webhookEndpointId: string): Promise<Date | null> {
    const [row] = await queryRows<{ first: string | Date | null }>(
      this.db,
      sql`select min(created_at) as first from deliveries
          where webhook_endpoint_id = ${webhookEndpointId} and status = 'failed'
            and created_at > coalesce(
              (select max(delivered_at) from deliveries where webhook_endpoint_id = ${webhookEndpointId} and status = 'delivered'),
              '-infinity'::timestamptz)`,
    );
    return row?.first ? new Date(row.first) : null;
  }
}

const date = (value: unknown): Date | null =>
  value === null || value === undefined ? null : new Date(value as string);

function toDelivery(r: Record<string, unknown>): Delivery {
  return {
    id: r.id as string,
    eventId: r.event_id as string,
    channel: r.channel as Channel,
    webhookEndpointId: (r.webhook_endpoint_id as string | null) ?? null,
    emailSubscriptionId: (r.email_subscription_id as string | null) ?? null,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: date(r.next_attempt_at),
    lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
    lastError: (r.last_error as string | null) ?? null,
    lastLatencyMs: r.last_latency_ms === null ? null : Number(r.last_latency_ms),
    responseExcerpt: (r.response_excerpt as string | null) ?? null,
    createdAt: date(r.created_at)!,
    deliveredAt: date(r.delivered_at),
  };
}
