import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { OutboxRepository } from '@tocsin/declarations';
import { JOB, JobQueues } from '@tocsin/queue';
import { DeliveriesRepository } from './deliveries.repository';

const PAGE = 1000;

/**
 * Re-enqueues work whose row says it is pending but whose job is gone (Redis restarted empty, a job was
 * removed by hand) or failed (BullMQ's attempts used up while the database was away): fan-outs that never
 * finished, first attempts never made, retries long overdue. Job ids are deterministic, so work whose job
 * is still waiting, delayed or active is not added twice; a failed one is run again.
 */
@Injectable()
export class Reconciler implements BeforeApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly queues: JobQueues,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  start(): void {
    if (this.timer) return;
    const intervalMs = this.config.reconcileIntervalMs;
    this.timer = setInterval(() => {
      if (this.running) return;
      // Twice the interval: a first attempt or a due retry that is this late has no job working on it.
      this.running = this.reconcile(2 * intervalMs)
        .catch((error: unknown) => this.logger.warn(`reconcile pass failed: ${describeError(error)}`))
        .finally(() => (this.running = null));
    }, intervalMs);
  }

  // Before connections close: a pass in flight finishes first.
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async reconcile(lostAfterMs: number): Promise<{ fanOuts: number; deliveries: number }> {
    const before = new Date(this.clock.now().getTime() - lostAfterMs);
    const fanOuts = await this.outbox.unfinishedFanOuts(before, PAGE);
    await this.queues.addBulk(
      JOB.fanOut,
      fanOuts.map((eventId) => ({ data: { eventId } })),
    );
    // A retry's job id is its delivery and attempt, so re-adding one whose job is still live does nothing,
    // and one whose job failed (the database was away) runs it again. A first attempt's batch job cannot be
    // named from its row: such rows count as lost only once the queues hold no work that could still be
    // carrying them, or a busy fan-out would be sent twice. That work is any waiting or active job (a small
    // fan-out makes its first attempts itself), and a batch or fan-out waiting out BullMQ's backoff in the
    // delayed set. Delayed single-delivery jobs are not: they are retries of deliveries already attempted,
    // or first attempts this reconciler re-added, named by their delivery, which adding again leaves alone.
    const queueDrained =
      (await this.queues.drained(JOB.deliverBatch)) && (await this.queues.drained(JOB.fanOut));
    const lost = await this.deliveries.lost(before, PAGE, queueDrained);
    await this.queues.addBulk(
      JOB.deliverOne,
      lost.map((d) => ({ data: { deliveryId: d.id, attempt: d.attempts + 1 } })),
    );
    if (fanOuts.length || lost.length) {
      this.logger.warn(
        `re-enqueued ${fanOuts.length} fan-outs and ${lost.length} deliveries whose jobs were gone`,
      );
    }
    return { fanOuts: fanOuts.length, deliveries: lost.length };
  }
}
