import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Texts in other languages than the row's own, keyed by BCP 47 tag (`{"ru": {"name": "…"}}`). */
export type SchemeTranslations = Record<string, { name?: string; event?: string; description?: string }>;
export type LevelTranslations = Record<string, { name?: string; description?: string; measures?: string[] }>;
export type DeclarationTranslations = Record<
  string,
  { headline?: string; summary?: string; measures?: string[] }
>;

export interface SchemeApproval {
  minRank: number;
}

/** actual | exercise | test: CAP's status; only `actual` changes a level or reaches every subscriber. */
export type DeclarationMode = 'actual' | 'exercise' | 'test';

/** null: none was needed; pending → approved | rejected; urgent: an admin skipped it, with a reason. */
export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'urgent';

export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  /** SHA-256 of the whole key: keys are 192-bit random, so a slow hash would add nothing. */
  keyHash: text('key_hash').notNull().unique(),
  /** The first characters of the key, so an admin can tell keys apart. */
  keyPrefix: text('key_prefix').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  createdBy: text('created_by'),
  revokedAt: instant('revoked_at'),
});

export const schemes = pgTable('schemes', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  event: text('event').notNull(),
  description: text('description').notNull(),
  authority: text('authority').notNull(),
  country: text('country'),
  translations: jsonb('translations').$type<SchemeTranslations>().notNull().default({}),
  builtin: boolean('builtin').notNull().default(false),
  /** Four eyes (DESIGN.md §5.4): a declaration at or above `minRank` waits for a second key; null = none. */
  approval: jsonb('approval').$type<SchemeApproval>(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

export const schemeLevels = pgTable(
  'scheme_levels',
  {
    schemeId: text('scheme_id')
      .notNull()
      .references(() => schemes.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    rank: integer('rank').notNull(),
    name: text('name').notNull(),
    color: text('color'),
    description: text('description').notNull(),
    measures: jsonb('measures').$type<string[]>().notNull(),
    capSeverity: text('cap_severity').notNull(),
    translations: jsonb('translations').$type<LevelTranslations>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.schemeId, t.code] }),
    unique('scheme_levels_rank_unique').on(t.schemeId, t.rank),
  ],
);

export const declarations = pgTable(
  'declarations',
  {
    id: text('id').primaryKey(),
    schemeId: text('scheme_id').notNull(),
    levelCode: text('level_code').notNull(),
    headline: text('headline').notNull(),
    summary: text('summary').notNull(),
    measures: jsonb('measures').$type<string[]>().notNull(),
    authority: text('authority').notNull(),
    sourceUrl: text('source_url'),
    /** BCP 47 tag of headline, summary and measures. */
    language: text('language').notNull().default('en'),
    translations: jsonb('translations').$type<DeclarationTranslations>().notNull().default({}),
    effectiveAt: instant('effective_at').notNull(),
    expiresAt: instant('expires_at'),
    createdAt: instant('created_at').notNull(),
    /** API key id and name at the time, so history still says who after a key is revoked. */
    createdBy: text('created_by').notNull(),
    createdByName: text('created_by_name').notNull(),
    cancelledAt: instant('cancelled_at'),
    cancelledBy: text('cancelled_by'),
    cancelledByName: text('cancelled_by_name'),
    cancelReason: text('cancel_reason'),
    /** Set for a declaration imported from another authority's CAP alert (libs/ingest). */
    origin: jsonb('origin').$type<DeclarationOrigin>(),
    mode: text('mode').$type<DeclarationMode>().notNull().default('actual'),
    /** Null when its scheme asked for no approval at its rank (DESIGN.md §5.4). */
    approval: text('approval').$type<ApprovalState>(),
    /** Who approved or rejected it (key id and name at the time), when, and a rejection's reason. */
    decidedAt: instant('decided_at'),
    decidedBy: text('decided_by'),
    decidedByName: text('decided_by_name'),
    rejectReason: text('reject_reason'),
    /** An admin's reason for publishing without approval. */
    urgentReason: text('urgent_reason'),
    /** A cancellation waiting for a second key, with who asked and why (cancelled_* once approved). */
    cancelRequestedAt: instant('cancel_requested_at'),
    cancelRequestedBy: text('cancel_requested_by'),
    cancelRequestedByName: text('cancel_requested_by_name'),
    cancelRequestReason: text('cancel_request_reason'),
  },
  (t) => [
    foreignKey({
      columns: [t.schemeId, t.levelCode],
      foreignColumns: [schemeLevels.schemeId, schemeLevels.code],
    }),
    index('declarations_created_idx').on(t.createdAt, t.id),
    index('declarations_pending_approval_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.approval} = 'pending' or ${t.cancelRequestedAt} is not null`),
  ],
);

/** The areas a declaration covers. Scheme and start are copied here so a level look-up is one index scan. */
export const declarationAreas = pgTable(
  'declaration_areas',
  {
    declarationId: text('declaration_id')
      .notNull()
      .references(() => declarations.id, { onDelete: 'cascade' }),
    areaCode: text('area_code').notNull(),
    countryCode: text('country_code').notNull(),
    schemeId: text('scheme_id').notNull(),
    effectiveAt: instant('effective_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.declarationId, t.areaCode] }),
    index('declaration_areas_area_idx').on(t.areaCode, t.schemeId, t.effectiveAt),
    index('declaration_areas_country_idx').on(t.countryCode, t.schemeId, t.effectiveAt),
  ],
);

/**
 * One row counting every write to what GET /v1/levels reads (declarations, their areas, scheme levels), bumped
 * by statement triggers in the writing transaction (migration 0004), so a process holding a cached list can
 * tell with one primary-key read whether any process has written since.
 */
export const levelRevision = pgTable(
  'level_revision',
  {
    /** Always true: the table has one row. */
    id: boolean('id').primaryKey().default(true),
    revision: bigint('revision', { mode: 'number' }).notNull(),
  },
  (t) => [check('level_revision_one_row', sql`${t.id}`)],
);

/** Per (area, scheme) counter, so a receiver can drop an event that arrives after a newer one. */
export const areaSequences = pgTable(
  'area_sequences',
  {
    areaCode: text('area_code').notNull(),
    schemeId: text('scheme_id').notNull(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.areaCode, t.schemeId] })],
);

/**
 * Transactional outbox: one row per `threat_level.changed` event, written in the same transaction as the
 * change. `dueAt` in the future marks a change that will happen then (a scheduled start or an expiry); its
 * payload is rendered when it falls due, because what it changes depends on what happens meanwhile.
 */
export const outbox = pgTable(
  'outbox',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    eventId: text('event_id').notNull().unique(),
    type: text('type').notNull(),
    declarationId: text('declaration_id')
      .notNull()
      .references(() => declarations.id),
    cause: text('cause').notNull(),
    dueAt: instant('due_at').notNull(),
    payload: jsonb('payload'),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** Handed to the queue as a fan-out job. */
    relayedAt: instant('relayed_at'),
    /** Every matching subscriber has its delivery row; until then the reconciler may relay it again. */
    fannedOutAt: instant('fanned_out_at'),
    /** Why a due event announced nothing (e.g. its declaration was superseded before it started). */
    skippedReason: text('skipped_reason'),
    /** Its declaration's mode: a non-actual event reaches only subscribers who opted into exercises. */
    mode: text('mode').$type<DeclarationMode>().notNull().default('actual'),
  },
  (t) => [
    index('outbox_pending_idx')
      .on(t.dueAt)
      .where(sql`${t.relayedAt} is null`),
    index('outbox_declaration_idx').on(t.declarationId),
  ],
);

/**
 * The changes of each rendered outbox event, one row per (area, scheme), written in the transaction that
 * writes its payload. The fan-out's filter and the stream's area filter read these columns, so no query
 * depends on the shape of the public payload. Only libs/declarations' OutboxRepository touches either table.
 */
export const outboxChanges = pgTable(
  'outbox_changes',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => outbox.eventId, { onDelete: 'cascade' }),
    areaCode: text('area_code').notNull(),
    /** The area's country (the area itself for a country), for "this country and its subdivisions". */
    countryCode: text('country_code').notNull(),
    schemeId: text('scheme_id').notNull(),
    /** Null when the area had no level before (or has none after) in the scheme. */
    previousRank: integer('previous_rank'),
    currentRank: integer('current_rank'),
    /** escalated | deescalated | unchanged */
    direction: text('direction').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.areaCode, t.schemeId] })],
);

/**
 * A trip (DESIGN.md §5.6): nothing is sent outside [activeFrom, activeUntil); at activeFrom one message sums up
 * the current levels (`tripSummarySentAt` records it was sent); after activeUntil the status is `ended`.
 * Both bounds null: always active.
 */
const tripWindow = {
  activeFrom: instant('active_from'),
  activeUntil: instant('active_until'),
  tripSummarySentAt: instant('trip_summary_sent_at'),
};

// The clock's two sweeps: trips whose summary is owed, and trips that are over but not yet `ended`.
function tripIndexes(
  table: string,
  t: {
    activeFrom: AnyPgColumn;
    activeUntil: AnyPgColumn;
    tripSummarySentAt: AnyPgColumn;
    status: AnyPgColumn;
  },
) {
  return [
    index(`${table}_trip_start_idx`)
      .on(t.activeFrom)
      .where(sql`${t.activeFrom} is not null and ${t.tripSummarySentAt} is null`),
    index(`${table}_trip_end_idx`)
      .on(t.activeUntil)
      .where(sql`${t.activeUntil} is not null and ${t.status} <> 'ended'`),
    check(
      `${table}_trip_window`,
      sql`${t.activeFrom} is null or ${t.activeUntil} is null or ${t.activeFrom} < ${t.activeUntil}`,
    ),
  ];
}

/** What a subscriber wants to hear about; the one matching rule is in libs/subscribers (subscription-filter.ts). */
const subscriptionFilter = {
  /** `KZ`, `KZ-75` or `*`. */
  areas: text('areas').array().notNull(),
  schemeId: text('scheme_id'),
  minRank: integer('min_rank'),
  /** `escalated`, `deescalated`; null = both. */
  events: text('events').array(),
  /** Also hear exercises and tests (DESIGN.md §5.4); they never reach anyone else. */
  exercises: boolean('exercises').notNull().default(false),
};

export const emailSubscriptions = pgTable(
  'email_subscriptions',
  {
    id: text('id').primaryKey(),
    /** Lower-cased; one subscription per address. */
    email: text('email').notNull().unique(),
    ...subscriptionFilter,
    /** pending → confirmed → unsubscribed; disabled by an admin; suspended by bounces (three 5xx in a row) until an admin resumes it. */
    status: text('status').notNull(),
    /** BCP 47 tag every mail and page for this subscriber is written in. */
    language: text('language').notNull().default('en'),
    /** IANA zone for the times in its mails; null = the main zone of the subscribed area. */
    timeZone: text('time_zone'),
    /** Bumped to void every link sent so far (tokens are HMACs over it). */
    tokenVersion: integer('token_version').notNull().default(1),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    confirmedAt: instant('confirmed_at'),
    unsubscribedAt: instant('unsubscribed_at'),
    /** Rate limit per address: when the last confirmation went out and how many in the current day. */
    confirmationSentAt: instant('confirmation_sent_at'),
    confirmationsToday: integer('confirmations_today').notNull().default(0),
    ...tripWindow,
    /** immediate | daily | weekly (DESIGN.md §5.6): how changes below `immediateMinRank` reach this address. */
    delivery: text('delivery').notNull().default('immediate'),
    /** A change to a level of this rank or higher is sent at once whatever `delivery` says; null: all wait. */
    immediateMinRank: integer('immediate_min_rank'),
    /** The hour (0–23, in `timeZone`) a digest goes out, and for a weekly one the ISO weekday (1 = Monday). */
    digestHour: integer('digest_hour').notNull().default(8),
    digestWeekday: integer('digest_weekday').notNull().default(1),
    /** When the next digest is due; null for immediate delivery. The row, not a queue, says a digest is owed. */
    nextDigestAt: instant('next_digest_at'),
  },
  (t) => [
    index('email_subscriptions_status_idx').on(t.status, t.createdAt),
    ...tripIndexes('email_subscriptions', t),
    index('email_subscriptions_next_digest_idx')
      .on(t.nextDigestAt)
      .where(sql`${t.nextDigestAt} is not null`),
    check('email_subscriptions_delivery', sql`${t.delivery} in ('immediate', 'daily', 'weekly')`),
    check('email_subscriptions_digest_hour', sql`${t.digestHour} between 0 and 23`),
    check('email_subscriptions_digest_weekday', sql`${t.digestWeekday} between 1 and 7`),
  ],
);

/** People who get alerts by SMS (DESIGN.md §5.5); libs/sms owns the table. */
export const smsSubscriptions = pgTable(
  'sms_subscriptions',
  {
    id: text('id').primaryKey(),
    /** E.164, e.g. `+77012345678`; one subscription per number. */
    phone: text('phone').notNull().unique(),
    ...subscriptionFilter,
    /** pending → confirmed → unsubscribed (STOP or erasure); disabled by an admin. */
    status: text('status').notNull(),
    /** BCP 47 tag its texts are written in. */
    language: text('language').notNull().default('en'),
    /** SHA-256 of the 6-digit code last sent and when; a confirmed number keeps none. */
    codeHash: text('code_hash'),
    codeSentAt: instant('code_sent_at'),
    /** Rate limit per number: codes sent in the current day. */
    codesToday: integer('codes_today').notNull().default(0),
    /** Wrong codes in a row; at five the number is locked until `lockedUntil`. */
    wrongCodes: integer('wrong_codes').notNull().default(0),
    lockedUntil: instant('locked_until'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
    confirmedAt: instant('confirmed_at'),
    unsubscribedAt: instant('unsubscribed_at'),
    ...tripWindow,
  },
  (t) => [
    index('sms_subscriptions_status_idx').on(t.status, t.createdAt),
    ...tripIndexes('sms_subscriptions', t),
  ],
);

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    /** The API key that owns it; an integrator sees only its own. */
    ownerKeyId: text('owner_key_id').notNull(),
    url: text('url').notNull(),
    description: text('description'),
    /** Who to tell when deliveries keep failing and the endpoint is disabled. */
    contactEmail: text('contact_email'),
    ...subscriptionFilter,
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    /** The body's shape (DESIGN.md §5.5): standard | slack | teams | discord | telegram. */
    format: text('format').notNull().default('standard'),
    /** The chat a `telegram` endpoint's Bot API `sendMessage` posts to. */
    telegramChatId: text('telegram_chat_id'),
    /** `whsec_…`, kept to sign with; never shown again after creation or rotation. */
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: instant('previous_secret_expires_at'),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_owner_idx').on(t.ownerKeyId, t.createdAt)],
);

/**
 * The keys a subscriber's areas are found by, one row a key, kept by triggers on the subscriber tables
 * (migration 0007): each filter area itself and, for a subdivision, `in:<country>`. An event's change of
 * X is matched by '*', X, X's country (a subdivision) or `in:X` (a country), so a fan-out reads only its
 * own subscribers, in id order, instead of every subscriber on its last page.
 */
const subscriberAreaKeys = (
  name: string,
  subscriber: typeof webhookEndpoints | typeof emailSubscriptions | typeof smsSubscriptions,
) =>
  pgTable(
    name,
    {
      key: text('key').notNull(),
      subscriberId: text('subscriber_id')
        .notNull()
        .references(() => subscriber.id, { onDelete: 'cascade' }),
    },
    (t) => [primaryKey({ columns: [t.key, t.subscriberId] })],
  );
export const webhookEndpointAreaKeys = subscriberAreaKeys('webhook_endpoint_area_keys', webhookEndpoints);
export const emailSubscriptionAreaKeys = subscriberAreaKeys(
  'email_subscription_area_keys',
  emailSubscriptions,
);

export const smsSubscriptionAreaKeys = subscriberAreaKeys('sms_subscription_area_keys', smsSubscriptions);

/** Secrets of this installation made at first start, e.g. the key of the HMACs in email links. */
export const instanceSecrets = pgTable('instance_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});

/**
 * One row per (event, subscriber): the truth about a delivery. Jobs carry only its id. A subscriber's erasure
 * removes its deliveries with it.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => outbox.eventId),
    channel: text('channel').notNull(),
    webhookEndpointId: text('webhook_endpoint_id').references(() => webhookEndpoints.id, {
      onDelete: 'cascade',
    }),
    emailSubscriptionId: text('email_subscription_id').references(() => emailSubscriptions.id, {
      onDelete: 'cascade',
    }),
    smsSubscriptionId: text('sms_subscription_id').references(() => smsSubscriptions.id, {
      onDelete: 'cascade',
    }),
    /** pending → delivered | failed | skipped; sms: pending → sent → delivered | failed; held: waiting for the subscriber's digest. */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastLatencyMs: integer('last_latency_ms'),
    responseExcerpt: text('response_excerpt'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deliveredAt: instant('delivered_at'),
    /** The due instant of the digest that settled it (DESIGN.md §5.6): one email for all its rows; else null. */
    digestDueAt: instant('digest_due_at'),
  },
  // Every index here costs each delivery an entry at its insert and another at its update (which cannot be
  // HOT: `status` changes, and the pending index names it), so a row is in as few as it must be (migration
  // 0010): one unique index per channel, led by the subscriber so that it also serves the subscriber's log
  // and the cascade of its erasure, holding no rows of the other channel; and the reconciler's, of pending
  // rows only.
  (t) => [
    uniqueIndex('deliveries_webhook_event_unique')
      .on(t.webhookEndpointId, t.eventId)
      .where(sql`${t.webhookEndpointId} is not null`),
    uniqueIndex('deliveries_email_event_unique')
      .on(t.emailSubscriptionId, t.eventId)
      .where(sql`${t.emailSubscriptionId} is not null`),
    uniqueIndex('deliveries_sms_event_unique')
      .on(t.smsSubscriptionId, t.eventId)
      .where(sql`${t.smsSubscriptionId} is not null`),
    index('deliveries_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    // A declaration's progress (its events' deliveries, polled each second by the console).
    index('deliveries_event_idx').on(t.eventId),
    // The digest sweep's backstop (migration 0015): rows held lately, whose subscription may have no digest
    // due. Held rows only, a small share of all, each in it until its digest settles it.
    index('deliveries_held_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'held'`),
  ],
);

/** Every attempt of a delivery, for the delivery log. */
export const deliveryAttempts = pgTable(
  'delivery_attempts',
  {
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    at: instant('at').notNull(),
    ok: boolean('ok').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    latencyMs: integer('latency_ms'),
    responseExcerpt: text('response_excerpt'),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);

/**
 * The SMSC's message id of each part of an SMS delivery, so that a delivery receipt (deliver_sm) finds its
 * delivery; the delivery is delivered once every part is, failed once any part fails.
 */
export const smsParts = pgTable(
  'sms_parts',
  {
    messageId: text('message_id').primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => deliveries.id, { onDelete: 'cascade' }),
    part: integer('part').notNull(),
    /** submitted → delivered | failed, from the receipt's `stat`. */
    status: text('status').notNull(),
    submittedAt: instant('submitted_at').notNull(),
    receiptAt: instant('receipt_at'),
  },
  (t) => [index('sms_parts_delivery_idx').on(t.deliveryId)],
);

/** Where an imported declaration came from (DESIGN.md §5.3): the source and the CAP document's triple. */
export interface DeclarationOrigin {
  sourceId: string;
  sourceName: string;
  sender: string;
  identifier: string;
  sent: string;
}

/** A CAP level rule of a source: the first whose given fields all equal an <info>'s gives the level. */
export interface SourceLevelRule {
  level: string;
  severity?: string;
  event?: string;
  parameterName?: string;
  parameterValue?: string;
}

export interface SourceCounts {
  seen: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

/** Another authority's CAP alerts: a feed Tocsin polls (`cap-feed`) or a sender that pushes (`cap-push`). */
export const sources = pgTable(
  'sources',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** cap-feed | cap-push */
    kind: text('kind').notNull(),
    url: text('url'),
    pollSeconds: integer('poll_seconds'),
    schemeId: text('scheme_id')
      .notNull()
      .references(() => schemes.id),
    levelRules: jsonb('level_rules').$type<SourceLevelRule[]>().notNull(),
    /** `"EMMA_ID=KZ001": "KZ-75"`: geocodes that are not ISO 3166 to area codes. */
    areaMap: jsonb('area_map').$type<Record<string, string>>().notNull().default({}),
    defaultAreas: text('default_areas')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    enabled: boolean('enabled').notNull().default(true),
    /** SHA-256 of a cap-push source's key, which is shown once. */
    pushKeyHash: text('push_key_hash').unique(),
    /** Validators of the feed's last 200 answer, for the next conditional GET. */
    etag: text('etag'),
    lastModified: text('last_modified'),
    lastFetchedAt: instant('last_fetched_at'),
    /** HTTP status of the last fetch (or of the last push). */
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    /** A poll holds the source until then, so two workers never poll it at once (a lease, not a lock). */
    pollingUntil: instant('polling_until'),
    counts: jsonb('counts')
      .$type<SourceCounts>()
      .notNull()
      .default({ seen: 0, imported: 0, duplicates: 0, rejected: 0 }),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [index('sources_created_idx').on(t.createdAt, t.id)],
);

/** Every CAP document a source brought, with what became of it; (sender, identifier, sent) is imported once. */
export const sourceItems = pgTable(
  'source_items',
  {
    id: text('id').primaryKey(),
    sourceId: text('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    /** Null for a document that could not be parsed far enough to name them. */
    sender: text('sender'),
    identifier: text('identifier'),
    sent: text('sent'),
    /** imported | duplicate | rejected */
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    declarationIds: text('declaration_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The document as received (only for a document that parsed: a refused one is not kept). */
    document: text('document'),
    receivedAt: instant('received_at').notNull(),
  },
  (t) => [
    index('source_items_source_idx').on(t.sourceId, t.receivedAt, t.id),
    // A duplicate is listed too, so the key holds only the first sighting: a race of two imports loses here.
    uniqueIndex('source_items_triple_unique')
      .on(t.sender, t.identifier, t.sent)
      .where(sql`${t.outcome} <> 'duplicate'`),
  ],
);

/**
 * Every privileged act (DESIGN.md §5.4), written in the transaction of the act itself. Append-only: triggers
 * (migration 0009) refuse UPDATE, DELETE and TRUNCATE, on PostgreSQL and PGlite alike.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    /** Increasing: newest first is descending id, and the keyset cursor is the id alone. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: instant('at').notNull(),
    /** The API key that acted, its name and role at the time; null for the system itself (e.g. ingest). */
    actorKeyId: text('actor_key_id'),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    /** e.g. `declaration.published`, `api_key.revoked` (libs/audit lists them). */
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_log_actor_idx').on(t.actorKeyId, t.id),
    index('audit_log_action_idx').on(t.action, t.id),
    index('audit_log_at_idx').on(t.at),
  ],
);
