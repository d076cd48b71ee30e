import type { JobsOptions } from 'bullmq';

// Queue and job names are stored in Redis with every job: they are frozen once released. A rename is a
// migration (drain the old name first), never an edit here.
export const QUEUE = {
  fanOut: 'fanout',
  delivery: 'delivery',
  ingest: 'ingest',
  /** The clocks' sweeps (trips, digests): apart, so that the delivery queue holds only sends, and its counts say so. */
  clock: 'clock',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export const JOB = {
  /** data: { eventId } — create the event's delivery rows and their batch jobs. */
  fanOut: 'fan-out',
  /** data: { deliveryIds } — first attempts of up to a page of deliveries, sent concurrently. */
  deliverBatch: 'deliver-batch',
  /** data: { deliveryId, attempt } — one retry, delayed by the retry schedule. */
  deliverOne: 'deliver-one',
  /** data: { sourceId } — one poll of a cap-feed source (scheduled per source, or asked for now). */
  pollSource: 'poll-source',
  /** data: { declarationId, asked, askedAt } — email APPROVAL_NOTIFY_EMAILS that something awaits approval. */
  notifyApprovers: 'notify-approvers',
  /** data: { subscriptionId, requestedAt } — text an SMS sign-up its 6-digit code (made and stored by the job). */
  sendSmsCode: 'send-sms-code',
  /** data: {} — the trip clock's sweep (a job scheduler): end trips that are over, enqueue owed summaries. */
  tripClock: 'trip-clock',
  /** data: { channel, subscriptionId } — a trip's one "current situation" email or SMS, if still owed. */
  sendTripSummary: 'send-trip-summary',
  /** data: {} — the digests' sweep (a job scheduler): enqueue a send-digest for each subscription now due. */
  sweepDigests: 'sweep-digests',
  /** data: { subscriptionId, dueAt } — a subscriber's digest, if its row says one is due (dueAt: what the sweep saw). */
  sendDigest: 'send-digest',
} as const;
export type JobName = (typeof JOB)[keyof typeof JOB];

export interface JobData {
  [JOB.fanOut]: { eventId: string };
  [JOB.deliverBatch]: { deliveryIds: string[] };
  [JOB.deliverOne]: { deliveryId: string; attempt: number };
  [JOB.pollSource]: { sourceId: string };
  [JOB.notifyApprovers]: {
    declarationId: string;
    asked: 'publication' | 'cancellation';
    askedAt: string;
  };
  [JOB.sendSmsCode]: { subscriptionId: string; requestedAt: string };
  [JOB.tripClock]: Record<string, never>;
  [JOB.sendTripSummary]: { channel: 'email' | 'sms'; subscriptionId: string };
  [JOB.sweepDigests]: Record<string, never>;
  [JOB.sendDigest]: { subscriptionId: string; dueAt: string };
}

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JOB.fanOut]: QUEUE.fanOut,
  [JOB.deliverBatch]: QUEUE.delivery,
  [JOB.deliverOne]: QUEUE.delivery,
  [JOB.pollSource]: QUEUE.ingest,
  // A handful of emails now and then: the delivery queue's workers send them beside the alerts.
  [JOB.notifyApprovers]: QUEUE.delivery,
  // Sign-up codes go out on the worker's one SMPP bind, beside the alerts.
  [JOB.sendSmsCode]: QUEUE.delivery,
  // The sweeps on the clock queue; what they find to send (a message now and then, an email a subscriber
  // a day at most) beside the alerts.
  [JOB.tripClock]: QUEUE.clock,
  [JOB.sendTripSummary]: QUEUE.delivery,
  [JOB.sweepDigests]: QUEUE.clock,
  [JOB.sendDigest]: QUEUE.delivery,
};

const KEEP = { removeOnComplete: { age: 3600, count: 10000 }, removeOnFail: { age: 7 * 24 * 3600 } };

/** The first part of every job id: stored in Redis with every job, frozen like the names. */
export const JOB_ID_PREFIX: Record<JobName, string> = {
  [JOB.fanOut]: 'fanout',
  [JOB.deliverBatch]: 'batch',
  [JOB.deliverOne]: 'retry',
  [JOB.pollSource]: 'poll',
  [JOB.notifyApprovers]: 'approval',
  [JOB.sendSmsCode]: 'smscode',
  [JOB.tripClock]: 'tripclock',
  [JOB.sendTripSummary]: 'tripsummary',
  [JOB.sweepDigests]: 'digestsweep',
  [JOB.sendDigest]: 'digest',
};

/** BullMQ's own retries of a job that threw (a crash, the database away) before it is left failed. */
const RETRIES: Record<JobName, { attempts: number; backoff: { type: 'exponential'; delay: number } }> = {
  [JOB.fanOut]: { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  [JOB.deliverBatch]: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  [JOB.deliverOne]: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  // A poll that failed is not retried: the next one is at most pollSeconds away.
  [JOB.pollSource]: { attempts: 1, backoff: { type: 'exponential', delay: 1000 } },
  // A mail server away for a while: about an hour of retries.
  [JOB.notifyApprovers]: { attempts: 12, backoff: { type: 'exponential', delay: 1000 } },
  // A code is worth sending for a few minutes: an SMSC away for longer, and the person asks again.
  [JOB.sendSmsCode]: { attempts: 6, backoff: { type: 'exponential', delay: 1000 } },
  // The next sweep is TRIP_CLOCK_SECONDS away, and finds what this one left.
  [JOB.tripClock]: { attempts: 1, backoff: { type: 'exponential', delay: 1000 } },
  // A few minutes of retries; after that the sweep enqueues the summary again while the row owes it.
  [JOB.sendTripSummary]: { attempts: 6, backoff: { type: 'exponential', delay: 1000 } },
  // The next sweep is DIGEST_SWEEP_SECONDS away, and finds what this one left.
  [JOB.sweepDigests]: { attempts: 1, backoff: { type: 'exponential', delay: 1000 } },
  // A few minutes of retries; after that each sweep runs it again while the row says it is due.
  [JOB.sendDigest]: { attempts: 6, backoff: { type: 'exponential', delay: 1000 } },
};

/** The longest wait between two of BullMQ's attempts of a job (exponential: delay × 2^(attempt − 1)). */
export function longestBackoffMs(name: JobName): number {
  const { attempts, backoff } = RETRIES[name];
  return attempts < 2 ? 0 : backoff.delay * 2 ** (attempts - 2);
}

/**
 * The options of every job, in one place. Job ids are deterministic so that adding the same work twice (a
 * relay that crashed after enqueuing, a reconciler pass) is a no-op while the first job is waiting, delayed
 * or active; JobQueues runs a finished job with the id again rather than let it swallow the add. BullMQ's
 * own retries cover crashes of the job itself; delivery retries are scheduled as new jobs with their own
 * delay.
 */
export function jobOptions<N extends JobName>(name: N, data: JobData[N], delayMs = 0): JobsOptions {
  const common = { ...KEEP, ...RETRIES[name] };
  switch (name) {
    case JOB.fanOut: {
      const { eventId } = data as JobData['fan-out'];
      return { ...common, jobId: `${JOB_ID_PREFIX[name]}.${eventId}` };
    }
    case JOB.deliverBatch: {
      const { deliveryIds } = data as JobData['deliver-batch'];
      return { ...common, jobId: `${JOB_ID_PREFIX[name]}.${deliveryIds[0]}.${deliveryIds.length}` };
    }
    case JOB.deliverOne: {
      const { deliveryId, attempt } = data as JobData['deliver-one'];
      return { ...common, jobId: `${JOB_ID_PREFIX[name]}.${deliveryId}.${attempt}`, delay: delayMs };
    }
    case JOB.pollSource: {
      const { sourceId } = data as JobData['poll-source'];
      return { ...common, jobId: pollJobId(sourceId) };
    }
    case JOB.notifyApprovers: {
      const { declarationId, asked, askedAt } = data as JobData['notify-approvers'];
      return { ...common, jobId: `${JOB_ID_PREFIX[name]}.${declarationId}.${asked}.${Date.parse(askedAt)}` };
    }
    case JOB.sendSmsCode: {
      const { subscriptionId, requestedAt } = data as JobData['send-sms-code'];
      return { ...common, jobId: `${JOB_ID_PREFIX[name]}.${subscriptionId}.${Date.parse(requestedAt)}` };
    }
    case JOB.tripClock:
      return { ...common, jobId: TRIP_CLOCK_JOB_ID };
    case JOB.sendTripSummary: {
      // One job per subscription: a summary owed twice (a sweep and a confirmation) is sent once.
      const { subscriptionId } = data as JobData['send-trip-summary'];
      return { ...common, jobId: `${JOB_ID_PREFIX[name]}.${subscriptionId}` };
    }
    case JOB.sweepDigests:
      return { ...common, jobId: DIGEST_SWEEP_JOB_ID };
    case JOB.sendDigest: {
      // One job per subscription, not per due instant: settings changed while a digest waits on a slow mail
      // server move the due instant, and a second job would mail the same held rows before the first
      // settled. A finished one run again keeps its old data: the job reads the row's due instant. Prioritised
      // below every job without a priority (BullMQ takes those first), so that a zone's 08:00 wave of digests
      // on the delivery queue never holds up an alert: a change at the threshold never waits (DESIGN.md §5.6).
      const { subscriptionId } = data as JobData['send-digest'];
      return { ...common, jobId: `${JOB_ID_PREFIX[name]}.${subscriptionId}`, priority: 10 };
    }
    default:
      throw new Error(`no options for job ${String(name)}`);
  }
}

/**
 * The id of a source's poll asked for now, and of its scheduler: one per source, so a poll asked for twice
 * while one waits is added once (the lease in the sources table keeps two from running at once).
 */
export function pollJobId(sourceId: string): string {
  return `${JOB_ID_PREFIX[JOB.pollSource]}.${sourceId}`;
}

/** The trip clock's one scheduler (and the id of a sweep asked for by hand). */
export const TRIP_CLOCK_JOB_ID = JOB_ID_PREFIX[JOB.tripClock];

/** The digests' one sweep scheduler (and the id of a sweep asked for by hand). */
export const DIGEST_SWEEP_JOB_ID = JOB_ID_PREFIX[JOB.sweepDigests];
