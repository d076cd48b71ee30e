import { randomBytes } from 'node:crypto';
import { loadConfig, SecretBox } from '@tocsin/config';
import { MetricsService } from '@tocsin/metrics';
import { JOB } from '@tocsin/queue';
import { WebhookMessage, WebhookSecrets, WebhookSender, WebhookSendResult } from '@tocsin/webhooks';
import { AttemptResult, Channel } from './channel';
import {
  AttemptOutcome,
  ChannelName,
  DeliveriesRepository,
  DeliveryStatus,
  DeliveryToSend,
  DeliveryToSendOn,
} from './deliveries.repository';
import { DeliveryService } from './delivery.service';
import { BounceCandidate, EmailBounces } from './email-bounces.service';
import { DecidedAttempt, EndpointHealthService } from './endpoint-health.service';
import { emailDelivery, FakeQueues, smsDelivery, StoppedClock, webhookDelivery } from './testing/fakes';
import { WebhookChannel } from './webhook-channel';

const AT = new Date('2022-01-07T09:00:00Z');
const DELIVERED: AttemptResult = {
  ok: true,
  statusCode: 204,
  retryAfterSeconds: null,
  error: null,
  latencyMs: 8,
  responseExcerpt: null,
};
const failed = (statusCode: number): AttemptResult => ({
  ...DELIVERED,
  ok: false,
  statusCode,
  error: `answered ${statusCode}`,
});

/** The deliveries table in memory, as far as DeliveryService reads and writes it. */
class FakeDeliveries {
  readonly rows = new Map<string, DeliveryToSend>();
  readonly status = new Map<string, DeliveryStatus>();
  readonly recorded: AttemptOutcome[] = [];
  records = 0;

  add(...rows: DeliveryToSend[]): this {
    for (const row of rows) {
      this.rows.set(row.id, row);
      this.status.set(row.id, 'pending');
    }
    return this;
  }

  async toSend(ids: string[], attempt?: number): Promise<DeliveryToSend[]> {
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      const due =
        row && this.status.get(id) === 'pending' && (attempt === undefined || row.attempts === attempt - 1);
      return due ? [row] : [];
    });
  }

  async markSkipped(ids: string[]): Promise<void> {
    for (const id of ids) if (this.status.get(id) === 'pending') this.status.set(id, 'skipped');
  }

  async record(outcomes: AttemptOutcome[]): Promise<void> {
    this.records++;
    for (const outcome of outcomes) {
      const row = this.rows.get(outcome.deliveryId);
      if (!row || row.attempts !== outcome.attempt - 1) continue;
      this.rows.set(row.id, { ...row, attempts: outcome.attempt });
      this.status.set(row.id, outcome.status);
      this.recorded.push(outcome);
    }
  }

  get port(): DeliveriesRepository {
    return this as unknown as DeliveriesRepository;
  }
}

/** A channel answering as told per delivery (delivered unless told otherwise); an Error is thrown. */
class FakeChannel<C extends ChannelName> implements Channel<C> {
  readonly sent: string[] = [];
  readonly answers = new Map<string, AttemptResult | Error>();

  constructor(private readonly accepting: (row: DeliveryToSendOn<C>) => boolean) {}

  accepts(row: DeliveryToSendOn<C>): boolean {
    return this.accepting(row);
  }

  async send(row: DeliveryToSendOn<C>): Promise<AttemptResult> {
    this.sent.push(row.id);
    const answer = this.answers.get(row.id) ?? DELIVERED;
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

class FakeEndpointHealth {
  readonly reviewed: DecidedAttempt[] = [];
  async review(attempts: readonly DecidedAttempt[]): Promise<void> {
    this.reviewed.push(...attempts);
  }
}

class FakeEmailBounces {
  readonly reviewed: BounceCandidate[] = [];
  async review(attempts: readonly BounceCandidate[]): Promise<void> {
    this.reviewed.push(...attempts);
  }
}

describe('DeliveryService', () => {
  let deliveries: FakeDeliveries;
  let webhooks: FakeChannel<'webhook'>;
  let emails: FakeChannel<'email'>;
  let texts: FakeChannel<'sms'>;
  let queues: FakeQueues;
  let health: FakeEndpointHealth;
  let bounces: FakeEmailBounces;
  let metrics: MetricsService;
  const service = (webhook: Channel<'webhook'> = webhooks) =>
    new DeliveryService(
      deliveries.port,
      { webhook, email: emails, sms: texts },
      health as unknown as EndpointHealthService,
      bounces as unknown as EmailBounces,
      queues.port,
      loadConfig({ WEBHOOK_RETRY_SCHEDULE: '5,300' }),
      new StoppedClock(AT),
      metrics,
    );
  const outcomeOf = (id: string) => deliveries.recorded.find((o) => o.deliveryId === id);

  beforeEach(() => {
    deliveries = new FakeDeliveries();
    webhooks = new FakeChannel((row) => row.endpoint.enabled);
    emails = new FakeChannel((row) => row.subscription.status === 'confirmed');
    texts = new FakeChannel((row) => row.subscription.status === 'confirmed');
    queues = new FakeQueues();
    health = new FakeEndpointHealth();
    bounces = new FakeEmailBounces();
    metrics = new MetricsService(queues.port);
  });

  it('sends a batch through each row’s channel and writes every outcome back in one go', async () => {
    deliveries.add(webhookDelivery('d1'), emailDelivery('d2'));

    expect(await service().deliverBatch(['d1', 'd2'])).toEqual({ attempted: 2, skipped: 0 });

    expect(webhooks.sent).toEqual(['d1']);
    expect(emails.sent).toEqual(['d2']);
    expect(deliveries.records).toBe(1);
    expect(outcomeOf('d1')).toEqual({
      deliveryId: 'd1',
      attempt: 1,
      at: AT,
      ok: true,
      statusCode: 204,
      error: null,
      latencyMs: 8,
      responseExcerpt: null,
      status: 'delivered',
      nextAttemptAt: null,
    });
    expect(outcomeOf('d2')).toMatchObject({ status: 'delivered', attempt: 1 });
    expect(queues.jobs.size).toBe(0);
  });

  it('makes an SMS the SMSC took `sent`, neither delivered nor retried, until its receipt', async () => {
    deliveries.add(smsDelivery('d1'));
    texts.answers.set('d1', { ...DELIVERED, statusCode: null, awaitingReceipt: true });

    await service().deliverBatch(['d1']);

    expect(texts.sent).toEqual(['d1']);
    expect(outcomeOf('d1')).toMatchObject({ status: 'sent', ok: true, attempt: 1, nextAttemptAt: null });
    expect(queues.jobs.size).toBe(0);
  });

  it('gives a delivery whose channel failed a retry job of its own, carrying its delay', async () => {
    deliveries.add(webhookDelivery('d1'), webhookDelivery('d2'));
    webhooks.answers.set('d2', failed(500));

    await service().deliverBatch(['d1', 'd2']);

    const retry = outcomeOf('d2');
    expect(retry).toMatchObject({ status: 'pending', ok: false, statusCode: 500, error: 'answered 500' });
    const [job] = queues.of(JOB.deliverOne);
    expect(queues.of(JOB.deliverOne)).toHaveLength(1);
    expect(job.data).toEqual({ deliveryId: 'd2', attempt: 2 });
    // The schedule's first step, 5 s, give or take a tenth; the row says when, the job waits as long.
    expect(job.delayMs).toBeGreaterThanOrEqual(4500);
    expect(job.delayMs).toBeLessThanOrEqual(5500);
    expect(retry?.nextAttemptAt).toEqual(new Date(AT.getTime() + job.delayMs));
  });

  it('gives each retry of a batch its own delay: Retry-After where the receiver asked, else the schedule', async () => {
    deliveries.add(webhookDelivery('d1'), webhookDelivery('d2'));
    webhooks.answers.set('d1', { ...failed(429), retryAfterSeconds: 120 });
    webhooks.answers.set('d2', failed(500));

    await service().deliverBatch(['d1', 'd2']);

    const delays = new Map(queues.of(JOB.deliverOne).map((job) => [job.data.deliveryId, job.delayMs]));
    expect(delays.get('d1')).toBe(120_000);
    expect(delays.get('d2')).toBeLessThanOrEqual(5500);
  });

  it('fails only the delivery whose channel throws, with an error text that keeps no query parameters', async () => {
    deliveries.add(webhookDelivery('d1'), webhookDelivery('d2'));
    webhooks.answers.set(
      'd1',
      new Error('Failed query: select secret from webhook_endpoints\nparams: whsec_1'),
    );

    expect(await service().deliverBatch(['d1', 'd2'])).toEqual({ attempted: 2, skipped: 0 });

    expect(outcomeOf('d1')).toMatchObject({
      ok: false,
      statusCode: null,
      status: 'pending',
      error: 'Failed query: select secret from webhook_endpoints',
    });
    expect(outcomeOf('d2')).toMatchObject({ status: 'delivered' });
    expect(queues.of(JOB.deliverOne).map((job) => job.data)).toEqual([{ deliveryId: 'd1', attempt: 2 }]);
  });

  it('fails only the webhook whose signing secret does not open, and sends the rest of the batch', async () => {
    const box = new SecretBox(randomBytes(32), 'SECRETS_KEY');
    const otherKey = new SecretBox(randomBytes(32), 'the old key');
    const sent: WebhookMessage[] = [];
    const sender = {
      async send(message: WebhookMessage): Promise<WebhookSendResult> {
        sent.push(message);
        return { ...DELIVERED, latencyMs: 3 };
      },
    };
    // The repository is only for start-up checks; opening a secret needs the key alone.
    const secrets = new WebhookSecrets(box, {} as ConstructorParameters<typeof WebhookSecrets>[1]);
    const channel = new WebhookChannel(sender as unknown as WebhookSender, secrets, loadConfig({}));
    deliveries.add(
      webhookDelivery('d1', { id: 'whk_1', secret: otherKey.seal('whsec_one', 'whk_1') }),
      webhookDelivery('d2', { id: 'whk_2', secret: box.seal('whsec_two', 'whk_2') }),
    );

    expect(await service(channel).deliverBatch(['d1', 'd2'])).toEqual({ attempted: 2, skipped: 0 });

    expect(outcomeOf('d1')).toMatchObject({
      ok: false,
      status: 'pending',
      error:
        'the stored secret of whk_1 does not open with SECRETS_KEY: it was sealed with another key, or altered',
    });
    expect(outcomeOf('d2')).toMatchObject({ ok: true, status: 'delivered' });
    expect(sent.map((m) => [m.id, m.secrets, m.timestamp])).toEqual([['d2', ['whsec_two'], AT]]);
  });

  it('sends nothing for a row already done: a duplicate or stale job is skipped', async () => {
    deliveries.add(webhookDelivery('d1'));
    await service().deliverOne('d1', 1);
    webhooks.sent.length = 0;

    expect(await service().deliverOne('d1', 1)).toEqual({ attempted: 0, skipped: 1 });
    expect(await service().deliverBatch(['d1'])).toEqual({ attempted: 0, skipped: 1 });

    expect(webhooks.sent).toEqual([]);
    expect(deliveries.recorded).toHaveLength(1);
    expect(queues.jobs.size).toBe(0);
  });

  it('marks a delivery to a disabled endpoint or an unconfirmed address skipped, without sending it', async () => {
    deliveries.add(
      webhookDelivery('d1', { enabled: false }),
      emailDelivery('d2', { status: 'unsubscribed' }),
      webhookDelivery('d3'),
    );

    expect(await service().deliverBatch(['d1', 'd2', 'd3'])).toEqual({ attempted: 1, skipped: 2 });

    expect(webhooks.sent).toEqual(['d3']);
    expect(emails.sent).toEqual([]);
    expect([...deliveries.status]).toEqual([
      ['d1', 'skipped'],
      ['d2', 'skipped'],
      ['d3', 'delivered'],
    ]);
  });

  it('fails a delivery for good once the schedule is used up, says why, and enqueues nothing', async () => {
    deliveries.add(webhookDelivery('d1', { attempts: 2 }));
    webhooks.answers.set('d1', failed(500));

    await service().deliverOne('d1', 3);

    expect(outcomeOf('d1')).toMatchObject({
      attempt: 3,
      status: 'failed',
      error: 'answered 500; no success after 3 attempts',
      nextAttemptAt: null,
    });
    expect(queues.jobs.size).toBe(0);
    expect(health.reviewed.map((a) => [a.row.id, a.decision.kind])).toEqual([['d1', 'failed']]);
  });

  it('fails an email the server refused for good at once, and hands the batch to the bounce review', async () => {
    deliveries.add(emailDelivery('d1'), emailDelivery('d2'));
    emails.answers.set('d1', { ...failed(550), permanent: true });

    await service().deliverBatch(['d1', 'd2']);

    expect(outcomeOf('d1')).toMatchObject({ attempt: 1, status: 'failed', statusCode: 550 });
    expect(queues.jobs.size).toBe(0);
    expect(bounces.reviewed.map((a) => [a.row.id, a.outcome.statusCode, a.decision.kind])).toEqual([
      ['d1', 550, 'failed'],
      ['d2', 204, 'delivered'],
    ]);
  });

  it('counts every outcome by channel', async () => {
    deliveries.add(webhookDelivery('d1'), webhookDelivery('d2', { enabled: false }), emailDelivery('d3'));
    emails.answers.set('d3', failed(451));

    await service().deliverBatch(['d1', 'd2', 'd3']);

    const counted = (await metrics.deliveries.get()).values.map((v) => [
      v.labels.channel,
      v.labels.outcome,
      v.value,
    ]);
    expect(counted).toEqual(
      expect.arrayContaining([
        ['webhook', 'delivered', 1],
        ['webhook', 'skipped', 1],
        ['email', 'retry', 1],
      ]),
    );
    expect(counted).toHaveLength(3);
  });
});
