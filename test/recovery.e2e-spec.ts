import { once } from 'node:events';
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tables } from '@tocsin/database';
import { refusePostgresConnections } from '@tocsin/database/testing';
import { JOB, jobOptions, JobQueues, QUEUE } from '@tocsin/queue';
import { eq } from 'drizzle-orm';
import { eventually } from './support/eventually';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

// Recovery after the database was away (DESIGN §5.1 "Failed jobs never block recovery"): a job that used up
// BullMQ's attempts while PostgreSQL refused connections must not keep its delivery pending for the week a
// failed job is kept. The app runs in this process; PostgreSQL is cut off for it by the server itself.

const RECONCILE_INTERVAL_MS = 1000;

const declaration = (overrides: Record<string, unknown> = {}) => ({
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ'],
  headline: 'Critical',
  summary: 'Repeat attacks are possible.',
  authority: 'Anti-Terrorist Centre',
  ...overrides,
});

describe('recovery after the database was away', () => {
  let test: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    test = await startTestApp('postgres', {
      RECONCILE_INTERVAL_MS: String(RECONCILE_INTERVAL_MS),
      WEBHOOK_RETRY_SCHEDULE: '2',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
  });
  afterAll(async () => {
    if (test) await refusePostgresConnections(test.config.databaseUrl!, false);
    await test?.close();
    await receiver?.close();
  });

  it('delivers a retry whose job failed while PostgreSQL refused connections, once it is back', async () => {
    receiver.script('/recovering', [{ status: 500 }, { status: 204 }]);
    const endpoint = await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: receiver.url('/recovering'), areas: ['KZ'] })
      .expect(201);
    await test.http.post('/v1/declarations').set(test.as()).send(declaration()).expect(201);
    await receiver.waitFor(() => receiver.receipts.length === 1, 15_000, 'the first, failing attempt');

    // The first attempt is recorded and its retry waits in Redis as a delayed job.
    const [delivery] = await eventually(
      () =>
        test.db
          .select()
          .from(tables.deliveries)
          .where(eq(tables.deliveries.webhookEndpointId, endpoint.body.id as string)),
      (rows) => rows[0]?.attempts === 1,
      { timeoutMs: 10_000, what: 'the first attempt recorded' },
    );
    const deliveryQueue = test.app.get(JobQueues).queue(QUEUE.delivery);
    const retryJobId = jobOptions(JOB.deliverOne, { deliveryId: delivery.id, attempt: 2 }).jobId!;
    await eventually(
      () => deliveryQueue.getJobState(retryJobId),
      (state) => state === 'delayed',
      { timeoutMs: 5_000, what: 'the retry job delayed' },
    );

    // PostgreSQL refuses the app until the retry job has used up all its BullMQ attempts (about 15 s).
    await refusePostgresConnections(test.config.databaseUrl!, true);
    try {
      await eventually(
        () => deliveryQueue.getJobState(retryJobId),
        (state) => state === 'failed',
        { timeoutMs: 45_000, what: 'the retry job failed' },
      );
      expect(receiver.receipts).toHaveLength(1);
    } finally {
      await refusePostgresConnections(test.config.databaseUrl!, false);
    }
    const back = Date.now();

    // The reconciler's next pass must not be swallowed by the failed job that holds the retry's id.
    const withinMs = 2 * RECONCILE_INTERVAL_MS;
    await receiver.waitFor(
      () => receiver.receipts.length === 2,
      withinMs + 5_000,
      'the retry after recovery',
    );
    const [first, second] = receiver.receipts;
    expect(second.at - back).toBeLessThanOrEqual(withinMs);
    expect(second.headers['webhook-id']).toBe(delivery.id);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    await eventually(
      () =>
        test.db
          .select({ status: tables.deliveries.status, attempts: tables.deliveries.attempts })
          .from(tables.deliveries)
          .where(eq(tables.deliveries.id, delivery.id)),
      (rows) => rows[0]?.status === 'delivered',
      { timeoutMs: 5_000, what: 'the delivery recorded delivered' },
    );
  });
});

/**
 * A receiver that holds every request until `count` have come, then answers them all 410 Gone at once: the
 * batches that sent them then record their attempts and disable the endpoint at about one time.
 */
async function startGoneTogether(count: number) {
  const held: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      held.push(res);
      if (held.length === count) for (const r of held) r.writeHead(410).end('gone');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gone`,
    received: () => held.length,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}

describe('an endpoint that two failing batches disable at once', () => {
  let test: TestApp;
  let receiver: Awaited<ReturnType<typeof startGoneTogether>>;
  let smtp: SmtpSink;

  beforeAll(async () => {
    receiver = await startGoneTogether(2);
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
    await smtp?.close();
  });

  it('is disabled once and its contact told once', async () => {
    const endpoint = await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: receiver.url, areas: ['*'], contactEmail: 'oncall@receiver.example' })
      .expect(201);
    await Promise.all([
      test.http.post('/v1/declarations').set(test.as()).send(declaration()).expect(201),
      test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(declaration({ scheme: 'travel-advisory', level: '4', areas: ['NO'] }))
        .expect(201),
    ]);

    // A fan-out of one endpoint sends it itself: both sends are done, mails included, once the fan-out
    // queue holds nothing but the two finished jobs and no batch was queued.
    const queues = test.app.get(JobQueues);
    await eventually(
      () =>
        Promise.all(
          [QUEUE.fanOut, QUEUE.delivery].map((name) =>
            queues.queue(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed'),
          ),
        ),
      ([fanOuts, deliveries]) =>
        fanOuts.completed === 2 &&
        [fanOuts, deliveries].every((c) => c.waiting + c.active + c.delayed + c.prioritized === 0) &&
        deliveries.completed === 0,
      { timeoutMs: 15_000, what: 'both fan-outs done' },
    );
    expect(receiver.received()).toBe(2);
    await smtp.waitFor('oncall@receiver.example', 1, 5_000);
    expect(smtp.to('oncall@receiver.example').map((m) => m.subject)).toEqual([
      `Tocsin disabled your webhook endpoint ${receiver.url}`,
    ]);
    const shown = await test.http.get(`/v1/webhooks/${endpoint.body.id}`).set(test.as()).expect(200);
    expect(shown.body).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
  });
});
