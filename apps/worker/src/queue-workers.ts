import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, describeError, describeErrorStack } from '@tocsin/config';
import { ApprovalNotices } from '@tocsin/declarations';
import {
  DeliveryService,
  DigestService,
  FanOutService,
  OutboxRelay,
  Reconciler,
  TripClock,
  TripSummaries,
} from '@tocsin/delivery';
import { IngestService, SourcesService } from '@tocsin/ingest';
import {
  JOB,
  JobData,
  JobName,
  QUEUE,
  QUEUE_OF,
  QueueName,
  redisConnectionOptions,
  withinMs,
} from '@tocsin/queue';
import { SmsCodeSender, SmsInbox, SmsTransport } from '@tocsin/sms';
import { hostname } from 'node:os';
import { Job, Worker } from 'bullmq';

type Handlers = { [N in JobName]: (data: JobData[N]) => Promise<unknown> };

/**
 * Jobs one worker process runs at once, per queue. A delivery batch itself sends a hundred at once; a small
 * fan-out sends its own, so fan-outs get as many slots as batches, lest slow receivers hold up other events.
 */
const CONCURRENCY: Record<QueueName, number> = {
  [QUEUE.fanOut]: 8,
  [QUEUE.delivery]: 8,
  // Polls wait on other authorities' servers, mostly idle: a hanging source takes one slot of many.
  [QUEUE.ingest]: 16,
  // A sweep a minute each; two slots so that a long one does not hold up the other.
  [QUEUE.clock]: 2,
};

/**
 * The queue face: one BullMQ worker per queue, dispatching by job name, plus the outbox relay, the
 * reconciler and the SMPP bind. SIGTERM lets jobs in flight finish before the process exits.
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers: Worker[] = [];
  private readonly handlers: Handlers;

  constructor(
    private readonly config: AppConfig,
    fanOut: FanOutService,
    delivery: DeliveryService,
    private readonly relay: OutboxRelay,
    private readonly reconciler: Reconciler,
    ingest: IngestService,
    private readonly sources: SourcesService,
    approvalNotices: ApprovalNotices,
    smsCodes: SmsCodeSender,
    private readonly smsTransport: SmsTransport,
    private readonly smsInbox: SmsInbox,
    private readonly tripClock: TripClock,
    tripSummaries: TripSummaries,
    private readonly digests: DigestService,
  ) {
    this.handlers = {
      [JOB.fanOut]: (data) => fanOut.fanOut(data.eventId),
      [JOB.deliverBatch]: (data) => delivery.deliverBatch(data.deliveryIds),
      [JOB.deliverOne]: (data) => delivery.deliverOne(data.deliveryId, data.attempt),
      [JOB.pollSource]: (data) => ingest.poll(data.sourceId),
      [JOB.notifyApprovers]: (data) => approvalNotices.send(data),
      [JOB.sendSmsCode]: (data) => smsCodes.send(data),
      [JOB.tripClock]: () => tripClock.sweep(),
      [JOB.sendTripSummary]: (data) => tripSummaries.send(data),
      [JOB.sweepDigests]: () => digests.sweep(),
      [JOB.sendDigest]: (data) => digests.send(data),
    };
    checkHandlers(this.handlers);
  }

  async onApplicationBootstrap(): Promise<void> {
    const connection = redisConnectionOptions(this.config.redisUrl, 'worker');
    const lockDuration = lockDurationMs(this.config.webhookTimeoutMs);
    // The worker is the one process bound to the SMSC (SMPP_URL unset: neither does anything): replies from
    // phones come here, so the inbox listens before the bind is up.
    this.smsInbox.start();
    this.smsTransport.start();
    for (const queue of Object.values(QUEUE)) {
      const worker = new Worker(queue, (job: Job) => this.run(job), {
        connection,
        prefix: this.config.queuePrefix,
        concurrency: CONCURRENCY[queue],
        lockDuration,
        // A job whose worker died is taken up again within about one lock duration.
        stalledInterval: lockDuration,
        name: `${hostname()}:${process.pid}`,
      });
      worker.on('failed', (job, error) =>
        this.logger.warn(`job ${job?.name} ${job?.id} failed: ${describeError(error)}`),
      );
      worker.on('error', (error) => this.logger.warn(`worker for ${queue}: ${describeError(error)}`));
      this.workers.push(worker);
    }
    await this.relay.start();
    // Redis may have lost the poll schedulers (restarted empty): the sources table is the truth.
    await this.sources
      .scheduleAll()
      .catch((error: unknown) =>
        this.logger.warn(`could not schedule the sources' polls: ${describeError(error)}`),
      );
    this.reconciler.start();
    // Redis may have lost the trip clock's scheduler too: the subscription rows say what is owed.
    await this.tripClock
      .start()
      .catch((error: unknown) =>
        this.logger.warn(`could not schedule the trip clock: ${describeError(error)}`),
      );
    // Redis may have lost the digests' sweep scheduler: the subscriptions' next_digest_at say what is owed.
    await this.digests
      .start()
      .catch((error: unknown) =>
        this.logger.warn(`could not schedule the digests' sweep: ${describeError(error)}`),
      );
    this.logger.log(`processing ${Object.values(QUEUE).join(', ')}`);
  }

  /** Jobs in flight finish (as long as their lock lasts); with Redis away, stop without waiting for it. */
  async beforeApplicationShutdown(): Promise<void> {
    const lockDuration = lockDurationMs(this.config.webhookTimeoutMs);
    await Promise.all(
      this.workers.map((worker) => withinMs(worker.close(), lockDuration).catch(() => worker.close(true))),
    );
  }

  private run(job: Job): Promise<unknown> {
    const handler = this.handlers[job.name as JobName] as ((data: unknown) => Promise<unknown>) | undefined;
    if (!handler || QUEUE_OF[job.name as JobName] !== job.queueName) {
      throw new Error(`no handler for job ${job.name} on queue ${job.queueName}`);
    }
    return handler(job.data).catch((error: unknown) => {
      throw keptFailure(error);
    });
  }
}

/**
 * How long a worker holds a job's lock, and waits for jobs in flight at shutdown. The lock must outlive the
 * slowest receiver, or a stalled-job check would run the job twice.
 */
function lockDurationMs(webhookTimeoutMs: number): number {
  return Math.max(15_000, webhookTimeoutMs * 3 + 10_000);
}

/**
 * BullMQ keeps a failed job's message and stack in Redis (`failedReason`, `stacktrace`) and shows them on the
 * queue board: an error whose message could carry a query's parameters is replaced by one that cannot.
 * Others (BullMQ's own, such as UnrecoverableError) are kept as they are.
 */
export function keptFailure(error: unknown): unknown {
  if (error instanceof Error && describeError(error) === error.message) return error;
  const kept = new Error(describeError(error));
  kept.stack = describeErrorStack(error);
  return kept;
}

/** Every job name has exactly one handler, on the queue it is sent to: checked once, at start. */
function checkHandlers(handlers: Handlers): void {
  const names = Object.values(JOB);
  const missing = names.filter((name) => typeof handlers[name] !== 'function');
  const extra = Object.keys(handlers).filter((name) => !names.includes(name as JobName));
  if (missing.length || extra.length) {
    throw new Error(
      `job handlers do not match the job table: missing ${missing.join(', ') || 'none'}, unknown ${extra.join(', ') || 'none'}`,
    );
  }
}
