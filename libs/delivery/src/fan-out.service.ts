import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@tocsin/config';
import { OutboxRepository } from '@tocsin/declarations';
import { MetricsService } from '@tocsin/metrics';
import { JOB, JobQueues } from '@tocsin/queue';
import { CHANNELS, DeliveriesRepository } from './deliveries.repository';
import { DeliveryService } from './delivery.service';

/** Subscribers whose delivery rows one query creates; memory stays flat however many there are. */
export const FAN_OUT_PAGE = 1000;
/** Deliveries one batch job sends concurrently (DESIGN.md step 4 says why first attempts go in batches). */
export const DELIVERY_BATCH = 100;
/**
 * A fan-out of at most this many first attempts makes them itself, as its one batch job would have: an
 * alert to a few subscribers then waits for no second queue hop.
 */
export const SENT_BY_FAN_OUT = DELIVERY_BATCH;

/** What a fan-out came to: its first attempts, how many batch jobs carry them and how many it made itself. */
export interface FanOutReport {
  deliveries: number;
  batches: number;
  sent: number;
}

@Injectable()
export class FanOutService {
  private readonly logger = new Logger(FanOutService.name);

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueues,
    private readonly delivery: DeliveryService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Creates one delivery row per matching subscriber, page by page, and a batch job per hundred first
   * attempts; a fan-out of no more than SENT_BY_FAN_OUT makes them itself, once every row is written, with
   * the batch job's code. Running it again after a crash creates no second row and sends nothing already
   * delivered.
   */
  async fanOut(eventId: string): Promise<FanOutReport> {
    const timer = this.metrics.fanOutDuration.startTimer();
    // The first page of every channel and the event's changes in one statement, and for a small fan-out
    // its first attempts ready to send: it waits for one round trip before its first send. The rest follow
    // channel by channel with the changes read here, so that a re-run cuts the same batches (their job ids).
    const first = await this.deliveries.createFirstPages(eventId, FAN_OUT_PAGE, SENT_BY_FAN_OUT);
    const { changes, pages: firstPages } = first;
    // An event not rendered (or not there) has no changes and nothing to fan out.
    if (!changes.length) return { deliveries: 0, batches: 0, sent: 0 };
    if (first.toSend) {
      // A crash while sending leaves the rows pending and the event not fanned out, as below.
      await this.delivery.deliverFirstAttempts(first.toSend);
      return this.done(eventId, timer, {
        deliveries: first.toSend.length,
        batches: 0,
        sent: first.toSend.length,
      });
    }
    let batches = 0;
    let deliveries = 0;
    // First attempts not handed to a batch job yet: this job makes them if the fan-out stays this small.
    let held: string[] = [];
    for (const channel of CHANNELS) {
      for (let page = firstPages[channel]; page !== null;) {
        deliveries += page.firstAttempts.length;
        held.push(...page.firstAttempts);
        if (batches > 0 || held.length > SENT_BY_FAN_OUT) {
          batches += await this.enqueueBatches(held);
          held = [];
        }
        // A page that came out short was the last: a small fan-out sends without asking for another.
        page = page.full
          ? await this.deliveries.createPage(channel, eventId, changes, page.last, FAN_OUT_PAGE)
          : null;
      }
    }
    // A crash while sending leaves the rows pending and the event not fanned out: BullMQ's retry of this
    // job, or the reconciler, runs it again, and it makes the attempts that were not written back.
    if (held.length) await this.delivery.deliverBatch(held);
    return this.done(eventId, timer, { deliveries, batches, sent: held.length });
  }

  private async done(eventId: string, timer: () => void, report: FanOutReport): Promise<FanOutReport> {
    await this.outbox.markFannedOut(eventId, this.clock.now());
    timer();
    this.logger.log(
      `event ${eventId}: ${report.deliveries} deliveries, ${report.batches} batches, ${report.sent} sent by the fan-out`,
    );
    return report;
  }

  /** Hands first attempts to batch jobs of DELIVERY_BATCH; answers how many jobs. */
  private async enqueueBatches(ids: string[]): Promise<number> {
    const chunks = chunk(ids, DELIVERY_BATCH);
    await this.queues.addBulk(
      JOB.deliverBatch,
      chunks.map((deliveryIds) => ({ data: { deliveryIds } })),
    );
    return chunks.length;
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
