import { JobQueues } from './job-queues';
import { JOB, jobOptions, QUEUE_OF } from './jobs';

/** The jobs run by a BullMQ job scheduler of their own (one sweep each), not added one by one. */
export type SweepJob = typeof JOB.tripClock | typeof JOB.sweepDigests;

/**
 * A sweep's BullMQ job scheduler, kept in place: upserted at start, and again every ten ticks (at least each
 * minute), lest a Redis restarted empty lose it and the sweep stop for good. Its id is the job's fixed id.
 */
export class KeptJobScheduler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly queues: JobQueues,
    private readonly name: SweepJob,
    private readonly everyMs: number,
    /** A re-upsert that failed (Redis away): the next one tries again. */
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.upsert().catch(this.onError),
      Math.max(60_000, 10 * this.everyMs),
    );
    await this.upsert();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async upsert(): Promise<void> {
    const data = {};
    // The scheduler names its own jobs; the fixed id is the scheduler's.
    const { jobId, ...opts } = jobOptions(this.name, data);
    await this.queues
      .queue(QUEUE_OF[this.name])
      .upsertJobScheduler(jobId!, { every: this.everyMs }, { name: this.name, data, opts });
  }
}
