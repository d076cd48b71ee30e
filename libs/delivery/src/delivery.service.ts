import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Clock } from '@tocsin/config';
import { MetricsService } from '@tocsin/metrics';
import { JOB, JobQueues, JobToAdd } from '@tocsin/queue';
import { AttemptResult, attemptThatThrew, channelOf, DELIVERY_CHANNELS, DeliveryChannels } from './channel';
import { AttemptOutcome, DeliveriesRepository, DeliveryToSend } from './deliveries.repository';
import { EmailBounces } from './email-bounces.service';
import { EndpointHealthService } from './endpoint-health.service';
import { mapLimit } from './map-limit';
import { decideAfterAttempt, RetryDecision } from './retry-policy';

/** Sends at once within one batch job; the rest of the parallelism comes from several batch jobs. */
const SEND_CONCURRENCY = 100;

/** What a delivery job came to; a job that finds its rows already done attempts nothing. */
export interface DeliveryReport {
  attempted: number;
  /** Asked for but not attempted: already done, not due for this attempt, or no longer wanted. */
  skipped: number;
}

interface Attempted {
  row: DeliveryToSend;
  outcome: AttemptOutcome;
  decision: RetryDecision;
}

/**
 * Makes delivery attempts through each row's channel and writes their outcomes back set-wise. The row is
 * the truth: a batch or retry job that finds its rows already done sends nothing.
 */
@Injectable()
export class DeliveryService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    @Inject(DELIVERY_CHANNELS) private readonly channels: DeliveryChannels,
    private readonly endpointHealth: EndpointHealthService,
    private readonly emailBounces: EmailBounces,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /** First attempts of a batch; deliveries already attempted are left to their retry jobs. */
  async deliverBatch(deliveryIds: string[]): Promise<DeliveryReport> {
    return this.deliver(deliveryIds.length, await this.deliveries.toSend(deliveryIds, 1));
  }

  /** First attempts read already, as `toSend` answers them (a small fan-out's, with its first pages). */
  async deliverFirstAttempts(rows: DeliveryToSend[]): Promise<DeliveryReport> {
    return this.deliver(rows.length, rows);
  }

  /** Attempt number `attempt` of one delivery; a stale or duplicate job finds nothing to do. */
  async deliverOne(deliveryId: string, attempt: number): Promise<DeliveryReport> {
    return this.deliver(1, await this.deliveries.toSend([deliveryId], attempt));
  }

  private async deliver(requested: number, rows: DeliveryToSend[]): Promise<DeliveryReport> {
    const wanted: DeliveryToSend[] = [];
    const unwanted: DeliveryToSend[] = [];
    for (const row of rows) (channelOf(this.channels, row).accepts(row) ? wanted : unwanted).push(row);
    await this.deliveries.markSkipped(
      unwanted.map((r) => r.id),
      'the endpoint is disabled or the subscription no longer confirmed',
      this.clock.now(),
    );
    const attempted = await mapLimit(wanted, SEND_CONCURRENCY, (row) => this.attempt(row));
    await this.deliveries.record(attempted.map((a) => a.outcome));

    for (const row of unwanted) this.metrics.deliveries.inc({ channel: row.channel, outcome: 'skipped' });
    const retries: JobToAdd<typeof JOB.deliverOne>[] = [];
    for (const { row, outcome, decision } of attempted) {
      this.metrics.deliveries.inc({ channel: row.channel, outcome: decision.kind });
      this.metrics.deliveryLatency.observe({ channel: row.channel }, outcome.latencyMs / 1000);
      if (decision.kind === 'retry')
        retries.push({
          data: { deliveryId: row.id, attempt: outcome.attempt + 1 },
          delayMs: decision.delayMs,
        });
    }
    await this.queues.addBulk(JOB.deliverOne, retries);
    await this.endpointHealth.review(attempted);
    await this.emailBounces.review(attempted);
    return { attempted: attempted.length, skipped: requested - attempted.length };
  }

  private async attempt(row: DeliveryToSend): Promise<Attempted> {
    const attempt = row.attempts + 1;
    const at = this.clock.now();
    let sent: AttemptResult;
    try {
      sent = await channelOf(this.channels, row).send(row, at);
    } catch (error) {
      // A channel breaking its promise never to reject fails this delivery, not the batch it is in.
      sent = attemptThatThrew(error, this.clock.now().getTime() - at.getTime());
    }
    const decision = decideAfterAttempt(attempt, sent, this.config.webhookRetryScheduleSeconds);
    const status =
      decision.kind === 'delivered'
        ? sent.awaitingReceipt
          ? 'sent'
          : 'delivered'
        : decision.kind === 'retry'
          ? 'pending'
          : 'failed';
    return {
      row,
      decision,
      outcome: {
        deliveryId: row.id,
        attempt,
        at,
        ok: sent.ok,
        statusCode: sent.statusCode,
        error:
          decision.kind === 'failed' || decision.kind === 'gone'
            ? `${sent.error ?? 'failed'}; ${decision.reason}`
            : sent.error,
        latencyMs: sent.latencyMs,
        responseExcerpt: sent.responseExcerpt,
        status,
        nextAttemptAt: decision.kind === 'retry' ? new Date(at.getTime() + decision.delayMs) : null,
        ...(sent.receiptIds?.length ? { smsMessageIds: sent.receiptIds } : {}),
      },
    };
  }
}
