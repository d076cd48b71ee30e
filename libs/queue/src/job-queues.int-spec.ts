import { loadConfig } from '@tocsin/config';
import { Job, UnrecoverableError, Worker } from 'bullmq';
import { JobQueues, redisConnectionOptions } from './job-queues';
import { JOB, jobOptions, QUEUE } from './jobs';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within 10 s: ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('JobQueues on Redis: re-adding a job whose id is taken', () => {
  const queuePrefix = `tocsin-test-queues-${process.pid}-${Date.now()}`;
  const config = loadConfig({ REDIS_URL: REDIS_URL, QUEUE_PREFIX: queuePrefix });
  let queues: JobQueues;
  /** What the worker does with the next delivery job; undefined: finish it. */
  let behaviour: ((job: Job) => Promise<unknown>) | undefined;
  let worker: Worker | null = null;

  const delivery = () => queues.queue(QUEUE.delivery);
  const retryOf = (deliveryId: string, attempt = 2) => ({ deliveryId, attempt });
  const idOf = (deliveryId: string, attempt = 2) =>
    jobOptions(JOB.deliverOne, retryOf(deliveryId, attempt)).jobId!;
  const startWorker = () => {
    worker = new Worker(
      QUEUE.delivery,
      (job: Job) => (behaviour ? behaviour(job) : Promise.resolve('done')),
      {
        connection: redisConnectionOptions(REDIS_URL, 'worker'),
        prefix: queuePrefix,
        concurrency: 50,
      },
    );
  };
  const stopWorker = async () => {
    await worker?.close();
    worker = null;
  };
  /** Runs the jobs now in the queue through the worker, each failing for good, and stops the worker. */
  const failAll = async (expectedFailed: number) => {
    behaviour = () => Promise.reject(new UnrecoverableError('the database is away'));
    startWorker();
    await eventually(
      () => delivery().getJobCounts('failed'),
      (c) => c.failed === expectedFailed,
      'jobs failed',
    );
    await stopWorker();
    behaviour = undefined;
  };

  beforeEach(() => {
    queues = new JobQueues(config);
  });
  afterEach(async () => {
    await stopWorker();
    await delivery().obliterate({ force: true });
    await queues.onApplicationShutdown();
  });

  it('runs a failed job with the id again, with all its attempts afresh', async () => {
    await queues.add(JOB.deliverOne, retryOf('dlv_failed'));
    await failAll(1);
    const failed = (await delivery().getJob(idOf('dlv_failed')))!;
    expect(failed.attemptsMade).toBe(1);

    await queues.add(JOB.deliverOne, retryOf('dlv_failed'));

    expect(await delivery().getJobCounts('failed', 'waiting')).toEqual({ failed: 0, waiting: 1 });
    const again = (await delivery().getJob(idOf('dlv_failed')))!;
    expect(again.attemptsMade).toBe(0);
    expect(again.failedReason).toBeFalsy();
    expect(again.data).toEqual(retryOf('dlv_failed'));
  });

  it('runs a completed job with the id again', async () => {
    await queues.add(JOB.deliverOne, retryOf('dlv_done'));
    startWorker();
    await eventually(
      () => delivery().getJobState(idOf('dlv_done')),
      (state) => state === 'completed',
      'the job completed',
    );
    await stopWorker();

    await queues.addBulk(JOB.deliverOne, [{ data: retryOf('dlv_done') }]);

    expect(await delivery().getJobState(idOf('dlv_done'))).toBe('waiting');
    expect(await delivery().getJobCounts('completed', 'waiting')).toEqual({ completed: 0, waiting: 1 });
  });

  it('adds new work with the same no-op for a waiting id, and leaves a finished one finished', async () => {
    await queues.addNew(JOB.deliverOne, [{ data: retryOf('dlv_new') }, { data: retryOf('dlv_new') }]);
    expect(await delivery().getJobCounts('waiting')).toEqual({ waiting: 1 });
    startWorker();
    await eventually(
      () => delivery().getJobState(idOf('dlv_new')),
      (state) => state === 'completed',
      'the job completed',
    );
    await stopWorker();

    // Only addBulk runs finished work again: addNew is for ids nothing can have run under yet.
    await queues.addNew(JOB.deliverOne, [{ data: retryOf('dlv_new') }]);
    expect(await delivery().getJobCounts('completed', 'waiting')).toEqual({ completed: 1, waiting: 0 });
  });

  it('gives each job of a bulk add its own delay', async () => {
    await queues.addBulk(JOB.deliverOne, [
      { data: retryOf('dlv_now') },
      { data: retryOf('dlv_in_a_minute'), delayMs: 60_000 },
      { data: retryOf('dlv_in_an_hour'), delayMs: 3_600_000 },
    ]);
    const delays = await Promise.all(
      ['dlv_now', 'dlv_in_a_minute', 'dlv_in_an_hour'].map(async (id) => {
        const job = (await delivery().getJob(idOf(id)))!;
        return [id, job.delay, await job.getState()];
      }),
    );
    expect(delays).toEqual([
      ['dlv_now', 0, 'waiting'],
      ['dlv_in_a_minute', 60_000, 'delayed'],
      ['dlv_in_an_hour', 3_600_000, 'delayed'],
    ]);
  });

  it('leaves a waiting or delayed job with the id as it is', async () => {
    await queues.add(JOB.deliverOne, retryOf('dlv_waiting'));
    await queues.add(JOB.deliverOne, retryOf('dlv_delayed'), 60_000);
    const delayedBefore = (await delivery().getJob(idOf('dlv_delayed')))!;

    await queues.addBulk(JOB.deliverOne, [
      { data: retryOf('dlv_waiting') },
      { data: retryOf('dlv_delayed') },
    ]);

    expect(await delivery().getJobCounts('waiting', 'delayed')).toEqual({ waiting: 1, delayed: 1 });
    const delayedAfter = (await delivery().getJob(idOf('dlv_delayed')))!;
    expect(delayedAfter.timestamp).toBe(delayedBefore.timestamp);
    expect(delayedAfter.delay).toBe(60_000);
  });

  it('leaves an active job with the id running, with no second job beside it', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    behaviour = () => released;
    await queues.add(JOB.deliverOne, retryOf('dlv_active'));
    startWorker();
    await eventually(
      () => delivery().getJobState(idOf('dlv_active')),
      (state) => state === 'active',
      'the job active',
    );

    await queues.add(JOB.deliverOne, retryOf('dlv_active'));

    expect(await delivery().getJobCounts('active', 'waiting')).toEqual({ active: 1, waiting: 0 });
    release();
    await eventually(
      () => delivery().getJobCounts('completed', 'waiting', 'active'),
      (c) => c.completed === 1 && c.waiting + c.active === 0,
      'the job finished once',
    );
  });

  it('gives two producers re-adding the same failed jobs at once one live job per id', async () => {
    const retries = Array.from({ length: 200 }, (_, i) => ({ data: retryOf(`dlv_race_${i}`) }));
    await queues.addBulk(JOB.deliverOne, retries);
    await failAll(200);
    const other = new JobQueues(config);
    try {
      await Promise.all([queues.addBulk(JOB.deliverOne, retries), other.addBulk(JOB.deliverOne, retries)]);
    } finally {
      await other.onApplicationShutdown();
    }
    expect(await delivery().getJobCounts('waiting', 'failed', 'delayed', 'active')).toEqual({
      waiting: 200,
      failed: 0,
      delayed: 0,
      active: 0,
    });
  });

  it('counts the queue drained while only delayed retries wait, not while a job waits to run', async () => {
    expect(await queues.drained(JOB.deliverBatch)).toBe(true);
    await queues.add(JOB.deliverOne, retryOf('dlv_later'), 60_000);
    expect(await queues.drained(JOB.deliverBatch)).toBe(true);
    await queues.add(JOB.deliverBatch, { deliveryIds: ['dlv_a'] });
    expect(await queues.drained(JOB.deliverBatch)).toBe(false);
  });

  it('tells a batch waiting out its backoff from delivery retries waiting for their time', async () => {
    // Due before any batch's backoff could end, and long after.
    await queues.add(JOB.deliverOne, retryOf('dlv_soon'), 5_000);
    await queues.add(JOB.deliverOne, retryOf('dlv_later'), 60_000);
    expect(await queues.inBackoff(JOB.deliverBatch)).toBe(false);

    // The batch's first run throws; BullMQ holds it in the delayed set for a second before the next.
    behaviour = () => Promise.reject(new Error('the database is away'));
    await queues.add(JOB.deliverBatch, { deliveryIds: ['dlv_a', 'dlv_b'] });
    startWorker();
    const batchId = jobOptions(JOB.deliverBatch, { deliveryIds: ['dlv_a', 'dlv_b'] }).jobId!;
    await eventually(
      () => delivery().getJobState(batchId),
      (state) => state === 'delayed',
      'the batch in backoff',
    );
    await stopWorker();
    expect(await delivery().getJobCounts('delayed')).toEqual({ delayed: 3 });
    expect(await queues.inBackoff(JOB.deliverBatch)).toBe(true);
  });
});
