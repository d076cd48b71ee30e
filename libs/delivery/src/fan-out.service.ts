import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@tocsin/config';
import { OutboxRepository } from '@tocsin/declarations';
import { MetricsService } from '@tocsin/metrics';
import { JOB, JobQueues } from '@tocsin/queue';
import { CHANNELS, DeliveriesRepository } from './deliveries.repository';

/** Subscribers whose delivery rows one query creates; memory stays flat however many there are. */
export const FAN_OUT_PAGE = 1000;
/** Deliveries one batch job sends concurrently (DESIGN.md step 4 says why first attempts go in batches). */
export const DELIVERY_BATCH = 100;

@Injectable()
export class FanOutService {
  private readonly logger = new Logger(FanOutService.name);

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly outbox: OutboxRepository,
    private readonly queues: JobQueues,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Creates one delivery row per matching subscriber, page by page, and a batch job per hundred first
   * attempts. Running it again after a crash creates no second row and sends nothing already delivered.
   */
  async fanOut(eventId: string): Promise<{ batches: number; deliveries: number }> {
    // Read once for every page: an event not rendered (or not there) has no changes and nothing to fan out.
    const changes = await this.outbox.changesOf(eventId);
    if (!changes.length) return { batches: 0, deliveries: 0 };
    const timer = this.metrics.fanOutDuration.startTimer();
    let batches = 0;
    let deliveries = 0;
    for (const channel of CHANNELS) {
      let after = '';
      for (;;) {
        const last = await this.deliveries.createPage(channel, eventId, changes, after, FAN_OUT_PAGE);
        if (last === null) break;
        const ids = await this.deliveries.firstAttemptsBetween(channel, eventId, after, last);
        const chunks = chunk(ids, DELIVERY_BATCH);
        await this.queues.addBulk(
          JOB.deliverBatch,
          chunks.map((deliveryIds) => ({ data: { deliveryIds } })),
        );
        batches += chunks.length;
        deliveries += ids.length;
        after = last;
      }
    }
    await this.outbox.markFannedOut(eventId, this.clock.now());
    timer();
    this.logger.log(`event ${eventId}: ${deliveries} deliveries in ${batches} batches`);
    return { batches, deliveries };
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
