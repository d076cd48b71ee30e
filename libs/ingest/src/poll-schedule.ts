import { Injectable } from '@nestjs/common';
import { JOB, JobQueues, jobOptions, pollJobId, QUEUE } from '@tocsin/queue';

/**
 * The polls of cap-feed sources, one BullMQ job scheduler per source (id `poll.<sourceId>`), so each source
 * is its own job: a slow or failing one never holds back another, and moving a source's interval replaces
 * its scheduler rather than adding a second.
 */
@Injectable()
export class PollSchedule {
  constructor(private readonly queues: JobQueues) {}

  async every(sourceId: string, seconds: number): Promise<void> {
    const data = { sourceId };
    // The scheduler names its own jobs; the poll-now id is for jobs added by hand.
    const opts = { ...jobOptions(JOB.pollSource, data), jobId: undefined };
    await this.queues
      .queue(QUEUE.ingest)
      .upsertJobScheduler(
        pollJobId(sourceId),
        { every: seconds * 1000 },
        { name: JOB.pollSource, data, opts },
      );
  }

  async stop(sourceId: string): Promise<void> {
    await this.queues.queue(QUEUE.ingest).removeJobScheduler(pollJobId(sourceId));
  }

  async pollNow(sourceId: string): Promise<void> {
    await this.queues.add(JOB.pollSource, { sourceId });
  }
}
