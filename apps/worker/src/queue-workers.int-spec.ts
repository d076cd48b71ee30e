import { createTestDatabase, TestDatabase } from '@tocsin/database/testing';
import { redisConnectionOptions } from '@tocsin/queue';
import { tables } from '@tocsin/database';
import { Job, Queue, QueueEvents, Worker } from 'bullmq';
import { keptFailure } from './queue-workers';

const ADDRESS = 'private.person@ngo.example';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('a job that fails on a query, as Redis keeps it', () => {
  const prefix = `tocsin-test-failure-${process.pid}-${Date.now()}`;
  const connection = redisConnectionOptions(REDIS_URL, 'worker');
  let database: TestDatabase;
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker;

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    const subscription = {
      id: 'sub_1',
      email: ADDRESS,
      areas: ['KZ'],
      status: 'pending',
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await database.db.insert(tables.emailSubscriptions).values(subscription);
    queue = new Queue('failing', { connection, prefix });
    events = new QueueEvents('failing', { connection, prefix });
    await events.waitUntilReady();
    // As QueueWorkers runs a handler: what it throws goes through keptFailure.
    worker = new Worker(
      'failing',
      () =>
        database.db
          .insert(tables.emailSubscriptions)
          .values({ ...subscription, id: 'sub_2' })
          .catch((error: unknown) => {
            throw keptFailure(error);
          }),
      { connection, prefix },
    );
  });
  afterAll(async () => {
    await worker?.close();
    await events?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await database?.close();
  });

  it('keeps a reason and a stack without the query parameters', async () => {
    const job = await queue.add('subscribe', {}, { attempts: 1 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/SQLSTATE 23505/);
    const failed = (await Job.fromId(queue, job.id!))!;
    expect(failed.failedReason).toMatch(
      /^query failed \(SQLSTATE 23505, constraint email_subscriptions_email_unique\): insert into "email_subscriptions"/,
    );
    const stacktrace = failed.stacktrace ?? [];
    expect(stacktrace.length).toBeGreaterThan(0);
    for (const kept of [failed.failedReason, ...stacktrace]) expect(kept).not.toContain(ADDRESS);
  });

  it('keeps other errors as they are', () => {
    const error = new TypeError('no handler for job x on queue y');
    expect(keptFailure(error)).toBe(error);
  });
});
