import { tables } from '@tocsin/database';
import { JobQueues, QUEUE } from '@tocsin/queue';
import { eq, sql } from 'drizzle-orm';
import { eventually, stillAfter } from './support/eventually';
import { MAIN, PrivateRedis, runBuilt, RunningProcess } from './support/processes';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

// Faults with real processes: workers are the built `npm run start:worker` processes, killed and started
// again; the API runs in the test. Every endpoint must end with the event, a repeat carrying the same
// webhook-id.

const declaration = {
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ'],
  headline: 'Critical',
  summary: 'Repeat attacks are possible.',
  authority: 'Anti-Terrorist Centre',
};

async function seedEndpoints(test: TestApp, receiver: WebhookReceiver, count: number): Promise<void> {
  const base = receiver.url('/e/');
  await test.db.execute(sql`
    insert into webhook_endpoints (id, owner_key_id, url, areas, enabled, secret, created_at, updated_at)
    select 'whk_' || lpad(i::text, 6, '0'), 'key_seed', ${base} || i, '{KZ}', true,
           'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', now(), now()
    from generate_series(1, ${count}) as i`);
}

/** Each path's webhook-ids: one id per endpoint, however often it was sent. */
function idsByPath(receiver: WebhookReceiver): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>();
  for (const r of receiver.receipts) {
    const set = ids.get(r.path) ?? new Set<string>();
    set.add(String(r.headers['webhook-id']));
    ids.set(r.path, set);
  }
  return ids;
}

/** Until the worker says it consumes its queues; past the bound, the failure shows what it printed. */
function started(worker: RunningProcess): Promise<string> {
  return eventually(
    () => worker.output(),
    (output) => output.includes('processing fanout, delivery'),
    { timeoutMs: 20_000, what: 'the worker to start' },
  );
}

/** The jobs still to run in every queue; none once the work is done. */
/** Jobs waiting, running or delayed, but for the next runs of the workers' job schedulers (the clocks). */
async function jobsLeft(test: TestApp): Promise<number> {
  const queues = test.app.get(JobQueues);
  const counts = await Promise.all(
    Object.values(QUEUE).map(async (name) => {
      const queue = queues.queue(name);
      const { waiting, active, prioritized } = await queue.getJobCounts('waiting', 'active', 'prioritized');
      const delayed = (await queue.getDelayed()).filter((job) => !job.repeatJobKey).length;
      return waiting + active + prioritized + delayed;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

function workerEnv(test: TestApp, redisUrl: string): Record<string, string> {
  return {
    DATABASE_URL: test.config.databaseUrl!,
    // The API's DATA_DIR, so workers open secrets with the key it sealed them with (DATA_DIR/secrets.key).
    DATA_DIR: test.config.dataDir,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: test.config.queuePrefix,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_MS: '2000',
    RECONCILE_INTERVAL_MS: '1000',
  };
}

describe('faults', () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let receiver: WebhookReceiver;
  let test: TestApp;
  const workers: RunningProcess[] = [];

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  /** Tests with a Redis of their own close the app while it still runs; afterEach then has nothing to close. */
  const closeWhileRedisIsUp = async () => {
    await test?.close().catch(() => undefined);
    test = undefined as unknown as TestApp;
  };
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGKILL');
        await worker.exit;
      }
    }
    await test?.close().catch(() => undefined);
    await receiver.close();
  });

  it('delivers to every one of 5,000 endpoints although the worker is killed in the middle', async () => {
    test = await startTestApp('postgres', { WEBHOOK_TIMEOUT_MS: '2000' }, 'api');
    await seedEndpoints(test, receiver, 5000);
    receiver.delayMs = 300;
    const first = runBuilt(MAIN.worker, workerEnv(test, redisUrl));
    workers.push(first);
    await test.http.post('/v1/declarations').set(test.as()).send(declaration).expect(201);

    await receiver.waitFor(() => receiver.distinctPaths() >= 500, 30_000, 'the first 500');
    first.child.kill('SIGKILL');
    const killed = await first.exit;
    expect(killed.signal).toBe('SIGKILL');
    const beforeRestart = receiver.distinctPaths();
    expect(beforeRestart).toBeLessThan(5000);
    // Requests the dead worker had written may still sit in the receiver's sockets: wait until two reads,
    // further apart than the receiver's delay, see the same count (no other worker runs yet).
    let lastCount = -1;
    await eventually(
      () => receiver.receipts.length,
      (count) => {
        const settled = count === lastCount;
        lastCount = count;
        return settled;
      },
      { intervalMs: 500, timeoutMs: 10_000, what: "the dead worker's last requests to arrive" },
    );
    // In flight when the worker died: sends that reached the receiver but whose outcome the database had
    // not recorded. Only those may arrive twice; a send that never arrived is sent later, once.
    const pendingAtKill = await test.db
      .select({ id: tables.deliveries.id })
      .from(tables.deliveries)
      .where(eq(tables.deliveries.status, 'pending'));
    // Read after the query, so that requests the dead worker had already written have been read too.
    const receivedAtKill = new Set(receiver.receipts.map((r) => String(r.headers['webhook-id'])));
    const inFlightAtKill = pendingAtKill.filter((row) => receivedAtKill.has(row.id)).length;

    receiver.delayMs = 0;
    workers.push(runBuilt(MAIN.worker, workerEnv(test, redisUrl)));
    await receiver.waitFor(() => receiver.distinctPaths() === 5000, 90_000, 'all 5,000 endpoints');
    // Every row settled: any repeat still in flight has been sent, with its row's webhook-id.
    const rows = await eventually(
      () =>
        test.db
          .select({ status: tables.deliveries.status, n: sql<number>`count(*)::int` })
          .from(tables.deliveries)
          .groupBy(tables.deliveries.status),
      (counts) => counts.every((count) => count.status !== 'pending'),
      { timeoutMs: 10_000, what: 'every delivery to settle' },
    );
    expect(rows).toEqual([{ status: 'delivered', n: 5000 }]);

    const ids = idsByPath(receiver);
    expect(ids.size).toBe(5000);
    expect([...ids.values()].every((set) => set.size === 1)).toBe(true);
    const repeats = receiver.receipts.length - 5000;
    process.stdout.write(
      `faults: SIGKILL with ${inFlightAtKill} sends in flight; ${repeats} requests repeated a webhook-id\n`,
    );
    expect(repeats).toBeLessThanOrEqual(inFlightAtKill);
  });

  it('accepts a declaration while Redis is down and delivers it once Redis is back', async () => {
    const redis = await PrivateRedis.start();
    try {
      test = await startTestApp('postgres', { REDIS_URL: redis.url }, 'api');
      await seedEndpoints(test, receiver, 3);
      const worker = runBuilt(MAIN.worker, { ...workerEnv(test, redis.url), LOG_LEVEL: 'info' });
      workers.push(worker);
      await started(worker);
      await redis.down();
      const accepted = await test.http.post('/v1/declarations').set(test.as()).send(declaration).expect(201);
      const ready = await test.http.get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.details.redis.status).toBe('down');
      await stillAfter(
        1500,
        () => receiver.receipts.length,
        (n) => n === 0,
        { what: 'no delivery while Redis is down' },
      );

      await redis.up();
      await receiver.waitFor(() => receiver.distinctPaths() === 3, 30_000, 'delivery after Redis came back');
      const body = JSON.parse(receiver.receipts[0].body) as { data: { declaration: { id: string } } };
      expect(body.data.declaration.id).toBe(accepted.body.id);
    } finally {
      await closeWhileRedisIsUp();
      await redis.down();
    }
  });

  it('re-enqueues a retry whose job was lost when Redis restarted empty', async () => {
    const redis = await PrivateRedis.start();
    try {
      test = await startTestApp('postgres', { REDIS_URL: redis.url }, 'api');
      await seedEndpoints(test, receiver, 1);
      receiver.script('/e/1', [{ status: 500 }, { status: 204 }]);
      const worker = runBuilt(MAIN.worker, {
        ...workerEnv(test, redis.url),
        WEBHOOK_RETRY_SCHEDULE: '4',
        LOG_LEVEL: 'info',
      });
      workers.push(worker);
      await started(worker);
      await test.http.post('/v1/declarations').set(test.as()).send(declaration).expect(201);
      await receiver.waitFor(() => receiver.receipts.length === 1, 15_000, 'the first, failing attempt');
      // The retry waits four seconds as a delayed job in Redis; Redis now restarts and forgets it.
      await redis.down();
      await redis.up();
      await receiver.waitFor(() => receiver.receipts.length === 2, 30_000, 'the retry after the reconciler');
      // Redis came back empty, so only the reconciler can have sent it again.
      expect(receiver.receipts[1].headers['webhook-id']).toBe(receiver.receipts[0].headers['webhook-id']);
    } finally {
      await closeWhileRedisIsUp();
      await redis.down();
    }
  });

  it('shares one fan-out between two workers and sends each endpoint the event once', async () => {
    test = await startTestApp('postgres', {}, 'api');
    await seedEndpoints(test, receiver, 2000);
    receiver.delayMs = 50;
    workers.push(
      runBuilt(MAIN.worker, workerEnv(test, redisUrl)),
      runBuilt(MAIN.worker, workerEnv(test, redisUrl)),
    );
    // Both consume every queue before the declaration, so that both can share its fan-out.
    const queues = test.app.get(JobQueues);
    await eventually(
      () => Promise.all(Object.values(QUEUE).map((name) => queues.queue(name).getWorkersCount())),
      (counts) => counts.every((n) => n >= 2),
      { timeoutMs: 20_000, what: 'both workers on every queue' },
    );
    await test.http.post('/v1/declarations').set(test.as()).send(declaration).expect(201);
    await receiver.waitFor(() => receiver.distinctPaths() === 2000, 60_000, 'all 2,000 endpoints');
    // No job left to run, so no send left to come.
    await eventually(
      () => jobsLeft(test),
      (left) => left === 0,
      { what: 'every job to be done' },
    );
    expect(receiver.receipts).toHaveLength(2000);
    const jobs = await queues.queue(QUEUE.delivery).getJobs(['completed']);
    const processedBy = new Set(jobs.map((job) => job.processedBy));
    expect(processedBy.size).toBe(2);
  });

  it('lets deliveries in flight finish on SIGTERM, then exits', async () => {
    test = await startTestApp('postgres', {}, 'api');
    await seedEndpoints(test, receiver, 50);
    receiver.delayMs = 1500;
    const worker = runBuilt(MAIN.worker, workerEnv(test, redisUrl));
    workers.push(worker);
    await test.http.post('/v1/declarations').set(test.as()).send(declaration).expect(201);
    await receiver.waitFor(() => receiver.receipts.length > 0, 20_000, 'the first request');
    worker.child.kill('SIGTERM');
    const { code } = await worker.exit;
    expect(code).toBe(0);
    const pending = await test.db
      .select({ n: sql<number>`count(*)::int` })
      .from(tables.deliveries)
      .where(sql`status <> 'delivered'`);
    expect(pending[0].n).toBe(0);
  });
});
