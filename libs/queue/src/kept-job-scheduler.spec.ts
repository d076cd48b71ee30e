import type { JobQueues } from './job-queues';
import { JOB, QUEUE_OF } from './jobs';
import { KeptJobScheduler } from './kept-job-scheduler';

describe('KeptJobScheduler', () => {
  const upserts: { queue: string; id: string; every: number; name: string; jobId: unknown }[] = [];
  const errors: unknown[] = [];
  let failNext = false;
  const queues = {
    queue: (queue: string) => ({
      upsertJobScheduler: async (
        id: string,
        repeat: { every: number },
        job: { name: string; opts: { jobId?: string } },
      ) => {
        if (failNext) {
          failNext = false;
          throw new Error('Redis away');
        }
        upserts.push({ queue, id, every: repeat.every, name: job.name, jobId: job.opts.jobId });
      },
    }),
  } as unknown as JobQueues;

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('upserts the sweep’s scheduler at start, again every ten ticks (at least a minute), until stopped', async () => {
    const scheduler = new KeptJobScheduler(queues, JOB.sweepDigests, 1000, (error) => errors.push(error));
    await scheduler.start();
    await scheduler.start();
    // Named by the job's fixed id; its jobs are named by the scheduler, so they carry none of their own.
    expect(upserts).toEqual([
      {
        queue: QUEUE_OF[JOB.sweepDigests],
        id: 'digestsweep',
        every: 1000,
        name: JOB.sweepDigests,
        jobId: undefined,
      },
    ]);
    await jest.advanceTimersByTimeAsync(59_999);
    expect(upserts).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(upserts).toHaveLength(2);
    // Redis away at one re-upsert: reported, and the next one puts it back.
    failNext = true;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(errors).toEqual([new Error('Redis away')]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(upserts).toHaveLength(3);
    scheduler.stop();
    await jest.advanceTimersByTimeAsync(600_000);
    expect(upserts).toHaveLength(3);
  });

  it('re-upserts a slow sweep’s scheduler every ten of its ticks', async () => {
    upserts.length = 0;
    const scheduler = new KeptJobScheduler(queues, JOB.tripClock, 30_000, () => undefined);
    await scheduler.start();
    await jest.advanceTimersByTimeAsync(299_999);
    expect(upserts.map((u) => u.id)).toEqual(['tripclock']);
    await jest.advanceTimersByTimeAsync(1);
    expect(upserts).toHaveLength(2);
    scheduler.stop();
  });
});
