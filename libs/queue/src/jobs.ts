import type { JobsOptions } from 'bullmq';

// Queue and job names are stored in Redis with every job: they are frozen once released. A rename is a
// migration (drain the old name first), never an edit here.
export const QUEUE = {
  fanOut: 'fanout',
  delivery: 'delivery',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export const JOB = {
  /** data: { eventId } — create the event's delivery rows and their batch jobs. */
  fanOut: 'fan-out',
  /** data: { deliveryIds } — first attempts of up to a page of deliveries, sent concurrently. */
  deliverBatch: 'deliver-batch',
  /** data: { deliveryId, attempt } — one retry, delayed by the retry schedule. */
  deliverOne: 'deliver-one',
} as const;
export type JobName = (typeof JOB)[keyof typeof JOB];

export interface JobData {
  [JOB.fanOut]: { eventId: string };
  [JOB.deliverBatch]: { deliveryIds: string[] };
  [JOB.deliverOne]: { deliveryId: string; attempt: number };
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JOB.fanOut]: QUEUE.fanOut,
  [JOB.deliverBatch]: QUEUE.delivery,
  [JOB.deliverOne]: QUEUE.delivery,
};

const KEEP = { removeOnComplete: { age: 3600, count: 10000 }, removeOnFail: { age: 7 * 24 * 3600 } };

/**
 * The options of every job, in one place. Job ids are deterministic so that adding the same work twice (a
 * relay that crashed after enqueuing, a reconciler pass) is a no-op while the first job exists. BullMQ's own
 * retries cover crashes of the job itself; delivery retries are scheduled as new jobs with their own delay.
 */
export function jobOptions<N extends JobName>(name: N, data: JobData[N], delayMs = 0): JobsOptions {
  switch (name) {
    case JOB.fanOut: {
      const { eventId } = data as JobData['fan-out'];
      return {
        ...KEEP,
        jobId: `fanout.${eventId}`,
        attempts: 10,
        backoff: { type: 'exponential', delay: 1000 },
      };
    }
    case JOB.deliverBatch: {
      const { deliveryIds } = data as JobData['deliver-batch'];
      return {
        ...KEEP,
        jobId: `batch.${deliveryIds[0]}.${deliveryIds.length}`,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
      };
    }
    case JOB.deliverOne: {
      const { deliveryId, attempt } = data as JobData['deliver-one'];
      return {
        ...KEEP,
        jobId: `retry.${deliveryId}.${attempt}`,
        delay: delayMs,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
      };
    }
    default:
      throw new Error(`no options for job ${String(name)}`);
  }
}
