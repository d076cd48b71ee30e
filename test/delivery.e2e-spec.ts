import { tables } from '@tocsin/database';
import { filterMatches, SubscriptionFilter } from '@tocsin/subscribers';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { uuidv7 } from 'uuidv7';
import { eventually } from './support/eventually';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const FILTERS: SubscriptionFilter[] = [
  { areas: ['KZ'], schemeId: null, minRank: null, events: null },
  { areas: ['KZ-75'], schemeId: 'kz-terror', minRank: null, events: null },
  { areas: ['KZ-71'], schemeId: null, minRank: null, events: null },
  { areas: ['GB'], schemeId: null, minRank: null, events: null },
  { areas: ['*'], schemeId: null, minRank: 3, events: null },
  { areas: ['*'], schemeId: 'travel-advisory', minRank: null, events: null },
  { areas: ['KZ', 'GB'], schemeId: null, minRank: null, events: ['deescalated'] },
  { areas: ['*'], schemeId: null, minRank: null, events: ['escalated'] },
];

const declaration = (overrides: Record<string, unknown> = {}) => ({
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ-75'],
  headline: 'Critical terrorism threat level in Almaty',
  summary: 'Repeat attacks are possible.',
  authority: 'Anti-Terrorist Centre',
  ...overrides,
});

describe('fan-out and delivery', () => {
  let test: TestApp;
  let receiver: WebhookReceiver;
  let smtp: SmtpSink;
  const secrets = new Map<string, string>();
  const filterOf = new Map<string, SubscriptionFilter>();

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', {
      SMTP_URL: smtp.url,
      WEBHOOK_RETRY_SCHEDULE: '1,1',
      // The receiver, the SMTP sink and the app share this process: a shorter timeout lets a busy moment
      // of the event loop (mail parsing, say) time out a send the receiver got, and its retry is a repeat.
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    for (let i = 0; i < 200; i += 1) {
      const filter = FILTERS[i % FILTERS.length];
      const response = await test.http
        .post('/v1/webhooks')
        .set(test.as())
        .send({
          url: receiver.url(`/endpoint/${i}`),
          areas: filter.areas,
          scheme: filter.schemeId,
          minRank: filter.minRank,
          events: filter.events,
        })
        .expect(201);
      secrets.set(`/endpoint/${i}`, response.body.secret);
      filterOf.set(`/endpoint/${i}`, filter);
    }
    const now = new Date();
    await test.db.insert(tables.emailSubscriptions).values(
      Array.from({ length: 60 }, (_, i) => {
        const filter = FILTERS[i % FILTERS.length];
        return {
          id: `sub_${uuidv7()}`,
          email: `reader${i}@ngo.example`,
          ...filter,
          // Fifty confirmed; ten still pending, who must get nothing.
          status: i < 50 ? 'confirmed' : 'pending',
          createdAt: now,
          updatedAt: now,
        };
      }),
    );
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
    await smtp?.close();
  });

  it('delivers one event to exactly the matching subscribers, every webhook signed', async () => {
    const published = await test.http.post('/v1/declarations').set(test.as()).send(declaration()).expect(201);
    const change = {
      areaCode: 'KZ-75',
      schemeId: 'kz-terror',
      previousRank: null,
      currentRank: 3,
      direction: 'escalated' as const,
    };
    const expectedPaths = [...filterOf].filter(([, f]) => filterMatches(f, change)).map(([path]) => path);
    const expectedEmails = Array.from({ length: 50 }, (_, i) => i)
      .filter((i) => filterMatches(FILTERS[i % FILTERS.length], change))
      .map((i) => `reader${i}@ngo.example`);
    expect(expectedPaths.length).toBeGreaterThan(50);

    await receiver.waitFor(() => receiver.receipts.length >= expectedPaths.length, 20_000, 'webhooks');
    // Every row settled, so nothing is left to send; the sink may still be parsing the last emails.
    const rows = await eventually(
      () => test.db.select().from(tables.deliveries),
      (rows) =>
        rows.length >= expectedPaths.length + expectedEmails.length &&
        rows.every((r) => r.status !== 'pending'),
      { timeoutMs: 20_000, what: 'every delivery to settle' },
    );
    await eventually(
      () => smtp.messages.length,
      (n) => n >= expectedEmails.length,
      { what: 'every email to be parsed' },
    );
    expect(receiver.receipts.map((r) => r.path).sort()).toEqual([...expectedPaths].sort());
    for (const receipt of receiver.receipts) {
      const payload = new Webhook(secrets.get(receipt.path)!).verify(
        receipt.body,
        receipt.headers as Record<string, string>,
      ) as {
        type: string;
        data: {
          declaration: { id: string };
          changes: { area: { code: string }; current: { code: string } }[];
        };
      };
      expect(payload.type).toBe('threat_level.changed');
      expect(payload.data.declaration.id).toBe(published.body.id);
      expect(receipt.headers['webhook-id']).toMatch(/^dlv_/);
    }
    expect(new Set(receiver.receipts.map((r) => r.headers['webhook-id'])).size).toBe(expectedPaths.length);

    const mailed = smtp.messages.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)!.value[0].address).sort();
    expect(mailed).toEqual([...expectedEmails].sort());
    const mail = smtp.messages[0];
    expect(mail.subject).toBe('Almaty — terrorism threat level CRITICAL (red)');
    // Header lines as sent, unfolded (a long header may wrap onto the next line).
    const header = (key: string) =>
      (mail.headerLines.find((h) => h.key === key)?.line ?? '').replace(/\r?\n\s+/g, ' ');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe')).toMatch(
      /^List-Unsubscribe: +<https?:\/\/[^>]+\/v1\/email-subscriptions\/unsubscribe\?token=[^>]+>$/,
    );
    expect(mail.messageId).toMatch(/^<dlv_[0-9a-f]+@localhost>$/);
    expect(mail.text).toContain('Repeat attacks are possible.');

    expect(rows).toHaveLength(expectedPaths.length + expectedEmails.length);
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });

  it('counts deliveries by channel and outcome, latencies and queue depths for Prometheus', async () => {
    const response = await test.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(
      /^tocsin_deliveries_total\{channel="webhook",outcome="delivered"\} [1-9]\d*$/m,
    );
    expect(response.text).toMatch(
      /^tocsin_deliveries_total\{channel="email",outcome="delivered"\} [1-9]\d*$/m,
    );
    expect(response.text).toMatch(/^tocsin_delivery_latency_seconds_count\{channel="webhook"\} [1-9]\d*$/m);
    expect(response.text).toMatch(/^tocsin_fanout_duration_seconds_count [1-9]\d*$/m);
    expect(response.text).toMatch(/^tocsin_queue_jobs\{queue="delivery",state="waiting"\} \d+$/m);
  });

  describe('receivers that misbehave', () => {
    // Each test has a receiver, endpoints and an area of its own: any one runs alone (-t) or in any order.
    const receivers: WebhookReceiver[] = [];
    const startReceiver = async () => {
      const started = await WebhookReceiver.start();
      receivers.push(started);
      return started;
    };
    afterEach(async () => {
      for (const started of receivers.splice(0)) await started.close();
    });
    const endpointFor = async (receiver: WebhookReceiver, path: string, area: string) => {
      const response = await test.http
        .post('/v1/webhooks')
        .set(test.as())
        .send({ url: receiver.url(path), areas: [area] })
        .expect(201);
      return response.body.id as string;
    };
    const deliveryOf = async (endpointId: string) =>
      (
        await test.db
          .select()
          .from(tables.deliveries)
          .where(eq(tables.deliveries.webhookEndpointId, endpointId))
      )[0];
    /** The endpoint's delivery once it is no longer pending: delivered or failed for good. */
    const settled = (endpointId: string) =>
      eventually(
        () => deliveryOf(endpointId),
        (row) => row !== undefined && row.status !== 'pending',
        { what: `the delivery to ${endpointId} to settle` },
      );
    const deliveriesOf = async (endpointId: string, status: string) =>
      (
        await test.http
          .get(`/v1/webhooks/${endpointId}/deliveries?status=${status}`)
          .set(test.as())
          .expect(200)
      ).body.items as { id: string; status: string }[];

    it('retries a receiver that fails twice with the same webhook-id, then records it delivered', async () => {
      const receiver = await startReceiver();
      receiver.script('/flaky', [{ status: 500 }, { status: 502 }, { status: 200 }]);
      const id = await endpointFor(receiver, '/flaky', 'NO');
      await test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(declaration({ scheme: 'travel-advisory', level: '2', areas: ['NO'] }))
        .expect(201);
      await receiver.waitFor(() => receiver.at('/flaky').length >= 3, 15_000, '/flaky');
      const ids = receiver.at('/flaky').map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(1);
      expect(await settled(id)).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    });

    it('disables an endpoint that answers 410 Gone', async () => {
      const receiver = await startReceiver();
      receiver.script('/gone', [{ status: 410 }]);
      const id = await endpointFor(receiver, '/gone', 'SE');
      await test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(declaration({ scheme: 'travel-advisory', level: '3', areas: ['SE'] }))
        .expect(201);
      await receiver.waitFor(() => receiver.at('/gone').length >= 1, 10_000, '/gone');
      expect(await settled(id)).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 410 });
      const endpoint = await eventually(
        async () => (await test.http.get(`/v1/webhooks/${id}`).set(test.as()).expect(200)).body,
        (body) => body.enabled === false,
        { what: 'the endpoint to be disabled' },
      );
      expect(endpoint).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
    });

    it('waits as long as a 429 asks before trying again', async () => {
      const receiver = await startReceiver();
      receiver.script('/busy', [{ status: 429, headers: { 'retry-after': '2' } }, { status: 204 }]);
      await endpointFor(receiver, '/busy', 'DK');
      await test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(declaration({ scheme: 'travel-advisory', level: '4', areas: ['DK'] }))
        .expect(201);
      await receiver.waitFor(() => receiver.at('/busy').length >= 2, 15_000, '/busy');
      const [first, second] = receiver.at('/busy');
      expect(second.at - first.at).toBeGreaterThanOrEqual(1900);
    });

    it('gives up on a receiver that never answers, after the schedule, as failed', async () => {
      const receiver = await startReceiver();
      receiver.script('/silent', ['hang']);
      const id = await endpointFor(receiver, '/silent', 'EE');
      await test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(declaration({ scheme: 'travel-advisory', level: '1', areas: ['EE'] }))
        .expect(201);
      await receiver.waitFor(() => receiver.at('/silent').length >= 3, 20_000, '/silent');
      // The third attempt is recorded once its 2,000 ms timeout has passed.
      const row = await settled(id);
      expect(row).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: null });
      expect(row.lastError).toMatch(/no answer within 2000 ms/);
    });

    it('keeps a log of every attempt and replays a failed delivery with the same webhook-id', async () => {
      const receiver = await startReceiver();
      const id = await endpointFor(receiver, '/replay', 'LV');
      receiver.script('/replay', [{ status: 500 }]);
      await test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(declaration({ scheme: 'travel-advisory', level: '2', areas: ['LV'], headline: 'replay' }))
        .expect(201);
      await receiver.waitFor(() => receiver.at('/replay').length >= 3, 15_000, '/replay');
      await settled(id);

      const log = await test.http.get(`/v1/webhooks/${id}/deliveries`).set(test.as()).expect(200);
      expect(log.body.items).toEqual([
        expect.objectContaining({ channel: 'webhook', status: 'failed', attempts: 3, lastStatusCode: 500 }),
      ]);
      const deliveryId = log.body.items[0].id as string;
      const detail = await test.http.get(`/v1/deliveries/${deliveryId}`).set(test.as()).expect(200);
      expect(
        detail.body.attemptsLog.map((a: { attempt: number; statusCode: number; ok: boolean }) => [
          a.attempt,
          a.statusCode,
          a.ok,
        ]),
      ).toEqual([
        [1, 500, false],
        [2, 500, false],
        [3, 500, false],
      ]);
      expect(
        (await test.http.get('/v1/deliveries?status=failed').set(test.as()).expect(200)).body.items.map(
          (d: { id: string }) => d.id,
        ),
      ).toContain(deliveryId);

      receiver.script('/replay', [{ status: 204 }]);
      await test.http.post(`/v1/deliveries/${deliveryId}/retry`).set(test.as()).expect(202);
      await receiver.waitFor(() => receiver.at('/replay').length >= 4, 10_000, 'the replay');
      expect(new Set(receiver.at('/replay').map((r) => r.headers['webhook-id']))).toEqual(
        new Set([deliveryId]),
      );
      expect(await settled(id)).toMatchObject({ status: 'delivered', attempts: 4 });
      expect(
        (await test.http.get(`/v1/deliveries/${deliveryId}`).set(test.as()).expect(200)).body,
      ).toMatchObject({ status: 'delivered', attempts: 4 });
      const again = await test.http.post(`/v1/deliveries/${deliveryId}/retry`).set(test.as()).expect(409);
      expect(again.body.detail).toMatch(/only a failed delivery/);
    });

    it('recovers every failed delivery to an endpoint since an instant', async () => {
      const receiver = await startReceiver();
      const since = new Date().toISOString();
      const id = await endpointFor(receiver, '/recover', 'LT');
      receiver.script('/recover', [{ status: 503 }]);
      for (const level of ['1', '3']) {
        await test.http
          .post('/v1/declarations')
          .set(test.as())
          .send(
            declaration({ scheme: 'travel-advisory', level, areas: ['LT'], headline: `recover ${level}` }),
          )
          .expect(201);
      }
      await receiver.waitFor(() => receiver.at('/recover').length >= 6, 20_000, '/recover');
      await eventually(
        () => deliveriesOf(id, 'failed'),
        (failed) => failed.length === 2,
        { what: 'both deliveries to fail' },
      );
      receiver.script('/recover', [{ status: 200 }]);
      const recovered = await test.http
        .post(`/v1/webhooks/${id}/recover`)
        .set(test.as())
        .send({ since })
        .expect(202);
      expect(recovered.body).toEqual({ recovered: 2 });
      await receiver.waitFor(() => receiver.at('/recover').length >= 8, 10_000, 'the recovery');
      const delivered = await eventually(
        () => deliveriesOf(id, 'delivered'),
        (items) => items.length >= 2,
        { what: 'both deliveries to be made' },
      );
      expect(delivered).toHaveLength(2);
    });

    it('shows an integrator only the deliveries to its own endpoints', async () => {
      const integrator = (
        await test.http
          .post('/v1/api-keys')
          .set(test.as())
          .send({ name: 'other', role: 'integrator' })
          .expect(201)
      ).body.key;
      // A failed delivery to the admin's endpoint: one the integrator may neither see nor retry.
      const receiver = await startReceiver();
      receiver.script('/admins', [{ status: 410 }]);
      const adminsEndpoint = await endpointFor(receiver, '/admins', 'PL');
      await test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(declaration({ scheme: 'travel-advisory', level: '2', areas: ['PL'] }))
        .expect(201);
      const failed = await settled(adminsEndpoint);
      expect(failed.status).toBe('failed');
      await test.http.get(`/v1/deliveries/${failed.id}`).set(test.as(integrator)).expect(404);
      await test.http.post(`/v1/deliveries/${failed.id}/retry`).set(test.as(integrator)).expect(404);
      expect((await test.http.get('/v1/deliveries').set(test.as(integrator)).expect(200)).body.items).toEqual(
        [],
      );
      await test.http.get(`/v1/webhooks/${adminsEndpoint}/deliveries`).set(test.as(integrator)).expect(404);
      await test.http.get('/v1/deliveries').expect(401);
    });

    it('retries an email the server defers (4xx) and gives up on one it refuses (5xx)', async () => {
      const now = new Date();
      const subscriber = (email: string) => ({
        id: `sub_${uuidv7()}`,
        email,
        areas: ['IS'],
        status: 'confirmed',
        createdAt: now,
        updatedAt: now,
      });
      await test.db
        .insert(tables.emailSubscriptions)
        .values([subscriber('deferred@ngo.example'), subscriber('gone@ngo.example')]);
      smtp.refuse('deferred@ngo.example', [451]);
      smtp.refuse('gone@ngo.example', [550, 550, 550]);
      await test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(declaration({ scheme: 'travel-advisory', level: '2', areas: ['IS'] }))
        .expect(201);
      await smtp.waitFor('deferred@ngo.example', 1, 10_000);
      const byAddress = async (email: string) => {
        const [delivery] = await test.db
          .select({ delivery: tables.deliveries })
          .from(tables.deliveries)
          .innerJoin(
            tables.emailSubscriptions,
            eq(tables.emailSubscriptions.id, tables.deliveries.emailSubscriptionId),
          )
          .where(eq(tables.emailSubscriptions.email, email));
        return delivery?.delivery;
      };
      const settledTo = (email: string) =>
        eventually(
          () => byAddress(email),
          (row) => row !== undefined && row.status !== 'pending',
          { what: `the email to ${email} to settle` },
        );
      expect(await settledTo('deferred@ngo.example')).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(await settledTo('gone@ngo.example')).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastStatusCode: 550,
      });
      expect(smtp.to('gone@ngo.example')).toHaveLength(0);
    });

    it('announces a scheduled declaration when it starts and again when it expires', async () => {
      const receiver = await startReceiver();
      receiver.script('/timers', [{ status: 204 }]);
      await endpointFor(receiver, '/timers', 'NL');
      const startsAt = Date.now() + 1500;
      const published = await test.http
        .post('/v1/declarations')
        .set(test.as())
        .send(
          declaration({
            scheme: 'travel-advisory',
            level: '3',
            areas: ['NL'],
            effectiveAt: new Date(startsAt).toISOString(),
            expiresAt: new Date(startsAt + 1500).toISOString(),
          }),
        )
        .expect(201);
      expect(published.body.status).toBe('scheduled');
      await receiver.waitFor(() => receiver.at('/timers').length >= 2, 15_000, 'start and expiry');
      const [start, expiry] = receiver.at('/timers');
      const startEvent = JSON.parse(start.body) as {
        data: { cause: string; changes: { current: { code: string } | null }[] };
      };
      const expiryEvent = JSON.parse(expiry.body) as {
        data: { cause: string; changes: { current: { code: string } | null }[] };
      };
      expect(startEvent.data.cause).toBe('declared');
      expect(startEvent.data.changes[0].current?.code).toBe('3');
      expect(start.at).toBeGreaterThanOrEqual(startsAt);
      expect(start.at - startsAt).toBeLessThan(1500);
      expect(expiryEvent.data.cause).toBe('expired');
      expect(expiryEvent.data.changes[0].current).toBeNull();
      expect(expiry.at).toBeGreaterThanOrEqual(startsAt + 1500);
    });
  });
});

describe('an endpoint that keeps failing', () => {
  let test: TestApp;
  let receiver: WebhookReceiver;
  let smtp: SmtpSink;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    smtp = await SmtpSink.start();
    // About a second of nothing but failures stands in for the default 72 hours.
    test = await startTestApp('postgres', {
      SMTP_URL: smtp.url,
      WEBHOOK_RETRY_SCHEDULE: '1,1',
      WEBHOOK_DISABLE_AFTER_HOURS: '0.0003',
    });
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
    await smtp?.close();
  });

  it('is disabled once every delivery has failed for long enough, and its contact is told', async () => {
    receiver.script('/down', [{ status: 500 }]);
    const created = await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: receiver.url('/down'), areas: ['FI'], contactEmail: 'oncall@receiver.example' })
      .expect(201);
    expect(created.body.contactEmail).toBe('oncall@receiver.example');
    await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send(declaration({ scheme: 'travel-advisory', level: '2', areas: ['FI'] }))
      .expect(201);
    const [notice] = await smtp.waitFor('oncall@receiver.example', 1, 15_000);
    expect(notice.subject).toBe(`Tocsin disabled your webhook endpoint ${receiver.url('/down')}`);
    expect(notice.text).toContain(`/v1/webhooks/${created.body.id}/recover`);
    const endpoint = await test.http.get(`/v1/webhooks/${created.body.id}`).set(test.as()).expect(200);
    expect(endpoint.body).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/^Every delivery has failed since /),
    });
    expect(receiver.at('/down')).toHaveLength(3);
  });
});
