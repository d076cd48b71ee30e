// Stand-ins for the ports of the delivery services, for unit tests: a queue in memory, a clock that stands
// still, and delivery rows as the repository hands them out.
import { Clock } from '@tocsin/config';
import type { EventChange, LevelChangedEvent, OutboxRepository } from '@tocsin/declarations';
import { JobData, JobName, jobOptions, JobQueues, JobToAdd } from '@tocsin/queue';
import type {
  ChannelName,
  DeliveriesRepository,
  DeliveryStatus,
  DeliveryToSend,
  EmailDeliveryToSend,
  SmsDeliveryToSend,
  FanOutPage,
  FirstPages,
  ReopenedDelivery,
  WebhookDeliveryToSend,
} from '../deliveries.repository';
import type { DeliveryService } from '../delivery.service';
import { levelChangedEvent } from './level-changed-event';

export interface QueuedJob {
  id: string;
  name: JobName;
  data: unknown;
  delayMs: number;
}

/**
 * JobQueues in memory, keyed by the real job ids: adding work whose job is still queued does nothing, as
 * in Redis. `loseAll` is Redis restarting empty.
 */
export class FakeQueues {
  readonly jobs = new Map<string, QueuedJob>();
  /** What `drained` answers: whether the queue holds no work that could still carry first attempts. */
  drainedAnswer = true;
  /** Jobs of these names are still waiting or running: `drained` answers false for them. */
  readonly busy = new Set<JobName>();

  async addBulk<N extends JobName>(name: N, items: readonly JobToAdd<N>[]): Promise<void> {
    for (const { data, delayMs = 0 } of items) {
      const id = jobOptions(name, data, delayMs).jobId;
      if (id && !this.jobs.has(id)) this.jobs.set(id, { id, name, data, delayMs });
    }
  }

  async drained(name: JobName): Promise<boolean> {
    return this.drainedAnswer && !this.busy.has(name);
  }

  /** The data and delay of every queued job of `name`, in the order they were added. */
  of<N extends JobName>(name: N): { data: JobData[N]; delayMs: number }[] {
    return [...this.jobs.values()]
      .filter((job) => job.name === name)
      .map((job) => ({ data: job.data as JobData[N], delayMs: job.delayMs }));
  }

  loseAll(): void {
    this.jobs.clear();
  }

  get port(): JobQueues {
    return this as unknown as JobQueues;
  }
}

export class StoppedClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  override now(): Date {
    return this.at;
  }
}

const EVENT = levelChangedEvent('evt_1');
const EVENT_JSON = JSON.stringify(EVENT);

/** A first attempt to make of a webhook delivery (all share one payload, as in a batch). */
export function webhookDelivery(
  id: string,
  changes: Partial<WebhookDeliveryToSend['endpoint']> & { attempts?: number } = {},
  payload: LevelChangedEvent = EVENT,
): WebhookDeliveryToSend {
  const { attempts = 0, ...endpoint } = changes;
  return {
    channel: 'webhook',
    id,
    eventId: payload.data.eventId,
    attempts,
    payload,
    payloadJson: payload === EVENT ? EVENT_JSON : JSON.stringify(payload),
    endpoint: {
      id: `whk_${id}`,
      url: `https://${id}.example.org/hook`,
      enabled: true,
      format: 'standard',
      telegramChatId: null,
      secret: 'enc:v1:sealed',
      previousSecret: null,
      previousSecretExpiresAt: null,
      ...endpoint,
    },
  };
}

/** A first attempt to make of an email delivery. */
export function emailDelivery(
  id: string,
  changes: Partial<EmailDeliveryToSend['subscription']> & { attempts?: number } = {},
): EmailDeliveryToSend {
  const { attempts = 0, ...subscription } = changes;
  return {
    channel: 'email',
    id,
    eventId: EVENT.data.eventId,
    attempts,
    payload: EVENT,
    payloadJson: EVENT_JSON,
    subscription: {
      id: `sub_${id}`,
      address: `${id}@example.org`,
      status: 'confirmed',
      tokenVersion: 1,
      filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
      language: 'en',
      timeZone: null,
      ...subscription,
    },
  };
}

/** A first attempt to make of an SMS delivery. */
export function smsDelivery(
  id: string,
  changes: Partial<SmsDeliveryToSend['subscription']> & { attempts?: number } = {},
): SmsDeliveryToSend {
  const { attempts = 0, ...subscription } = changes;
  return {
    channel: 'sms',
    id,
    eventId: EVENT.data.eventId,
    attempts,
    payload: EVENT,
    payloadJson: EVENT_JSON,
    subscription: {
      id: `sms_${id}`,
      phone: '+77010000001',
      status: 'confirmed',
      filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
      language: 'en',
      ...subscription,
    },
  };
}

interface FakeDelivery {
  id: string;
  eventId: string;
  channel: ChannelName;
  subscriberId: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date | null;
}

/**
 * The deliveries table in memory, as the fan-out and the reconciler use it: `subscribers` are those whose
 * filter matches (the SQL rule is the repository's, tested on both databases); rows are made at the clock's
 * time.
 */
export class FakeDeliveryTable {
  readonly rows: FakeDelivery[] = [];
  readonly subscribers: Record<ChannelName, string[]> = { webhook: [], email: [], sms: [] };

  /** `outbox`: where the first pages read the event's changes (none given: Kazakhstan to red). */
  constructor(
    private readonly clock: Clock,
    private readonly outbox?: FakeOutbox,
  ) {}

  async createPage(
    channel: ChannelName,
    eventId: string,
    _changes: unknown,
    after: string,
    size: number,
  ): Promise<FanOutPage | null> {
    const page = this.subscribers[channel]
      .filter((id) => id > after)
      .sort()
      .slice(0, size);
    const firstAttempts: string[] = [];
    for (const subscriberId of page) {
      const found = this.find(eventId, channel, subscriberId);
      if (found) {
        if (found.status === 'pending' && found.attempts === 0) firstAttempts.push(found.id);
        continue;
      }
      const id = `dlv_${eventId}_${subscriberId}`;
      this.rows.push({
        id,
        eventId,
        channel,
        subscriberId,
        status: 'pending',
        attempts: 0,
        createdAt: this.clock.now(),
        nextAttemptAt: null,
      });
      firstAttempts.push(id);
    }
    const last = page.at(-1);
    return last === undefined ? null : { last, firstAttempts, full: page.length >= size };
  }

  async createFirstPages(eventId: string, size: number, sendUpTo: number): Promise<FirstPages> {
    // As the statement does: the changes are the outbox's, and an event with none reaches no one.
    const changes = (await this.outbox?.changesOf(eventId)) ?? KZ_TO_RED;
    const page = async (channel: ChannelName) =>
      changes.length ? this.createPage(channel, eventId, changes, '', size) : null;
    const pages = { webhook: await page('webhook'), email: await page('email'), sms: await page('sms') };
    const all = Object.values(pages);
    const firstAttempts = all.flatMap((p) => p?.firstAttempts ?? []);
    // The whole fan-out and few enough: its rows to send, as far as the fan-out looks at them (their ids).
    const small = firstAttempts.length <= sendUpTo && all.every((p) => !p?.full);
    return {
      changes,
      pages,
      toSend: small ? firstAttempts.map((id) => ({ id }) as DeliveryToSend) : null,
    };
  }

  async lost(olderThan: Date, limit: number, firstAttempts: boolean): Promise<ReopenedDelivery[]> {
    return this.rows
      .filter(
        (r) =>
          r.status === 'pending' &&
          ((r.attempts > 0 && r.nextAttemptAt !== null && r.nextAttemptAt < olderThan) ||
            (firstAttempts && r.attempts === 0 && r.createdAt < olderThan)),
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit)
      .map(({ id, attempts }) => ({ id, attempts }));
  }

  find(eventId: string, channel: ChannelName, subscriberId: string): FakeDelivery | undefined {
    return this.rows.find(
      (r) => r.eventId === eventId && r.channel === channel && r.subscriberId === subscriberId,
    );
  }

  get port(): DeliveriesRepository {
    return this as unknown as DeliveriesRepository;
  }
}

/**
 * DeliveryService as the fan-out uses it: the first attempts it was given to make, each batch in turn; each
 * row is then delivered (attempted once) in `table`, or, with `dies`, it throws before writing anything back.
 */
export class FakeBatchSender {
  readonly batches: string[][] = [];
  dies = false;

  constructor(private readonly table: FakeDeliveryTable) {}

  async deliverFirstAttempts(rows: DeliveryToSend[]): Promise<{ attempted: number; skipped: number }> {
    return this.deliverBatch(rows.map((row) => row.id));
  }

  async deliverBatch(deliveryIds: string[]): Promise<{ attempted: number; skipped: number }> {
    this.batches.push(deliveryIds);
    if (this.dies) throw new Error('the worker died while sending');
    const rows = this.table.rows.filter((r) => deliveryIds.includes(r.id) && r.status === 'pending');
    for (const row of rows) Object.assign(row, { status: 'delivered', attempts: 1 });
    return { attempted: rows.length, skipped: deliveryIds.length - rows.length };
  }

  get port(): DeliveryService {
    return this as unknown as DeliveryService;
  }
}

interface FakeOutboxEvent {
  /** None: not rendered yet. */
  changes: EventChange[];
  relayedAt: Date | null;
  fannedOutAt: Date | null;
}

/** The outbox in memory, as far as the fan-out and the reconciler read it. */
export class FakeOutbox {
  readonly events = new Map<string, FakeOutboxEvent>();

  add(eventId: string, event: Partial<FakeOutboxEvent> = {}): this {
    this.events.set(eventId, { changes: KZ_TO_RED, relayedAt: null, fannedOutAt: null, ...event });
    return this;
  }

  async changesOf(eventId: string): Promise<EventChange[]> {
    return this.events.get(eventId)?.changes ?? [];
  }

  async markFannedOut(eventId: string, now: Date): Promise<void> {
    const event = this.events.get(eventId);
    if (event) event.fannedOutAt = now;
  }

  async unfinishedFanOuts(relayedBefore: Date, limit: number): Promise<string[]> {
    return [...this.events]
      .filter(([, e]) => e.relayedAt && e.relayedAt < relayedBefore && !e.fannedOutAt && e.changes.length)
      .slice(0, limit)
      .map(([eventId]) => eventId);
  }

  get port(): OutboxRepository {
    return this as unknown as OutboxRepository;
  }
}

const KZ_TO_RED: EventChange[] = [
  { areaCode: 'KZ', schemeId: 'kz-terror', previousRank: 2, currentRank: 3, direction: 'escalated' },
];
