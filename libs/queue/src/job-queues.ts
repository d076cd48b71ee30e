import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { ErrorCode, FinishedStatus, Job, Queue } from 'bullmq';
import {
  JOB_ID_PREFIX,
  JobData,
  JobName,
  jobOptions,
  longestBackoffMs,
  QUEUE,
  QUEUE_OF,
  QueueName,
} from './jobs';

/** A finished job that is run again gets all of BullMQ's attempts afresh, as a new job would. */
const AFRESH = { resetAttemptsMade: true, resetAttemptsStarted: true };
/** Another host's clock may run ahead of ours by this much when it scores a delayed job. */
const CLOCK_SKEW_MS = 5000;
/** Delayed jobs read per round trip. */
const DELAYED_PAGE = 500;

/** One job to add: its data, and how long from now it waits before it may run (none: at once). */
export interface JobToAdd<N extends JobName> {
  data: JobData[N];
  delayMs?: number;
}

/** Producers for every queue, shared by the API and the worker. */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  private readonly queues: Map<QueueName, Queue>;

  constructor(config: AppConfig) {
    const connection = redisConnectionOptions(config.redisUrl);
    this.queues = new Map(
      Object.values(QUEUE).map((name) => {
        const queue = new Queue(name, { connection, prefix: config.queuePrefix });
        // While Redis is away every command fails and is handled where it was made; the connection's own
        // errors would otherwise be printed raw.
        queue.on('error', () => undefined);
        return [name, queue];
      }),
    );
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  async add<N extends JobName>(name: N, data: JobData[N], delayMs = 0): Promise<void> {
    await this.addBulk(name, [{ data, delayMs }]);
  }

  /**
   * Adds many jobs of one name in a couple of round trips, each with its own delay. A job that is waiting,
   * delayed or active with the same id makes the add a no-op (that is what the deterministic ids are for);
   * one that has finished is run again instead: BullMQ ignores an add whose id exists in any state, and a
   * failed job is kept for a week, so otherwise work whose row is still pending after the database was
   * away would never be tried again.
   */
  async addBulk<N extends JobName>(name: N, items: readonly JobToAdd<N>[]): Promise<void> {
    if (!items.length) return;
    const queue = this.queue(QUEUE_OF[name]);
    const jobs = items.map(({ data, delayMs }) => ({ name, data, opts: jobOptions(name, data, delayMs) }));
    await this.runFinishedAgain(
      queue,
      jobs.map((job) => job.opts.jobId!),
    );
    await queue.addBulk(jobs);
  }

  /**
   * Adds jobs for work that is new (an event just committed): no job can have finished under its id, so
   * this skips `addBulk`'s look for finished ones, a round trip on an alert's path. A job waiting or active
   * under the id still makes the add a no-op.
   */
  async addNew<N extends JobName>(name: N, items: readonly JobToAdd<N>[]): Promise<void> {
    if (!items.length) return;
    await this.queue(QUEUE_OF[name]).addBulk(
      items.map(({ data, delayMs }) => ({ name, data, opts: jobOptions(name, data, delayMs) })),
    );
  }

  /**
   * Moves the finished jobs among `ids` back to wait, attempts reset. BullMQ's retry is one script that acts
   * only while the job is still in its finished set, so of two producers re-adding one id at once, one moves
   * it and the other finds it waiting and leaves it: never two live jobs for one id. A finished job keeps
   * its data and runs now: its id names the same work, and a delivery retry is scheduled once per attempt
   * made, so no finished job stands in for one whose delay is still ahead.
   */
  private async runFinishedAgain(queue: Queue, ids: string[]): Promise<void> {
    const client = await queue.getBackend().client;
    const finished = await Promise.all(
      ids.map(async (id): Promise<[string, FinishedStatus] | null> => {
        const [failed, completed] = await Promise.all([
          client.zscore(queue.keys.failed, id),
          client.zscore(queue.keys.completed, id),
        ]);
        return failed !== null ? [id, 'failed'] : completed !== null ? [id, 'completed'] : null;
      }),
    );
    await Promise.all(
      finished
        .filter((entry) => entry !== null)
        .map(async ([id, state]) => {
          const job = await Job.fromId(queue, id);
          await job?.retry(state, AFRESH).catch((error: Error & { code?: number }) => {
            // Removed meanwhile (the add creates it), or already moved by another producer.
            if (error.code !== ErrorCode.JobNotExist && error.code !== ErrorCode.JobNotInState) throw error;
          });
        }),
    );
  }

  /**
   * Whether a job of `name` sits in the delayed set, waiting out BullMQ's backoff before its next attempt.
   * Only for jobs added without a delay (a batch): theirs are all due within their longest backoff, so only
   * the head of the delayed set is read, however many delivery retries wait behind it.
   */
  async inBackoff(name: JobName): Promise<boolean> {
    const queue = this.queue(QUEUE_OF[name]);
    const client = await queue.getBackend().client;
    const prefix = `${JOB_ID_PREFIX[name]}.`;
    // A delayed job's score is its due time in ms × 0x1000, plus a counter below 0x1000.
    const lastScore = (Date.now() + longestBackoffMs(name) + CLOCK_SKEW_MS + 1) * 0x1000;
    for (let start = 0; ; start += DELAYED_PAGE) {
      const page = await client.zrange(queue.keys.delayed, start, start + DELAYED_PAGE - 1, {
        WITHSCORES: true,
      });
      for (let i = 0; i < page.length; i += 2) {
        if (Number(page[i + 1]) > lastScore) return false;
        if (page[i].startsWith(prefix)) return true;
      }
      if (page.length < 2 * DELAYED_PAGE) return false;
    }
  }

  /**
   * Whether nothing in the queue of `name` could still be carrying work of `name`: no job there is waiting
   * or running, and no `name` job is waiting out BullMQ's backoff.
   */
  async drained(name: JobName): Promise<boolean> {
    const counts = await this.queue(QUEUE_OF[name]).getJobCounts(
      'waiting',
      'active',
      'prioritized',
      'waiting-children',
    );
    return Object.values(counts).every((n) => n === 0) && !(await this.inBackoff(name));
  }

  async onApplicationShutdown(): Promise<void> {
    // Closing while Redis is away must not fail the shutdown: there is nothing left to flush.
    await Promise.all(
      [...this.queues.values()].map((queue) => queue.close().catch(() => queue.disconnect())),
    );
  }
}

/**
 * BullMQ connection options. Producers fail fast while Redis is away (so the outbox relay notices and
 * retries later) rather than queueing commands in memory; workers wait for Redis to come back.
 */
export function redisConnectionOptions(url: string, role: 'producer' | 'worker' = 'producer') {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    enableOfflineQueue: role === 'worker',
    maxRetriesPerRequest: null,
  };
}
