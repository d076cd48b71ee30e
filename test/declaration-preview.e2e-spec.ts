import { queryRows, tables } from '@tocsin/database';
import { sql } from 'drizzle-orm';
import { eventually } from './support/eventually';
import { createKey, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const RED = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };
const KAZAKHSTAN = { code: 'KZ', name: 'Kazakhstan', type: 'country', parent: null };

describe('POST /v1/declarations/preview', () => {
  let receiver: WebhookReceiver;
  let test: TestApp;
  let publisher: string;
  let integrator: string;

  const body = (over: Record<string, unknown> = {}) => ({
    scheme: 'kz-terror',
    level: 'red',
    areas: ['KZ'],
    headline: 'Critical terrorism threat level',
    summary: 'Repeat attacks are possible.',
    authority: 'Anti-Terrorist Centre',
    ...over,
  });
  const preview = (over: Record<string, unknown> = {}, key = publisher) =>
    test.http.post('/v1/declarations/preview').set(test.as(key)).send(body(over));
  const webhook = async (path: string, filter: Record<string, unknown>) =>
    (
      await test.http
        .post('/v1/webhooks')
        .set(test.as(integrator))
        .send({ url: receiver.url(path), ...filter })
        .expect(201)
    ).body.id as string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    test = await startTestApp('postgres');
    publisher = await createKey(test, 'publisher');
    integrator = await createKey(test, 'integrator');

    await webhook('/kz', { areas: ['KZ'] });
    await webhook('/almaty', { areas: ['KZ-75'] });
    await webhook('/france', { areas: ['FR'] });
    await webhook('/uk-scheme', { areas: ['KZ'], scheme: 'uk-terror' });
    await webhook('/gb', { areas: ['GB'] });
    const off = await webhook('/off', { areas: ['*'] });
    await test.http
      .patch(`/v1/webhooks/${off}`)
      .set(test.as(integrator))
      .send({ enabled: false })
      .expect(200);
    const now = new Date();
    const subscriber = (id: string, areas: string[], status: string, minRank: number | null = null) => ({
      id,
      email: `${id}@example.org`,
      areas,
      minRank,
      status,
      createdAt: now,
      updatedAt: now,
    });
    await test.db
      .insert(tables.emailSubscriptions)
      .values([
        subscriber('sub_everywhere', ['*'], 'confirmed'),
        subscriber('sub_red_only', ['KZ'], 'confirmed', 3),
        subscriber('sub_pending', ['KZ'], 'pending'),
        subscriber('sub_france', ['FR'], 'confirmed'),
        subscriber('sub_gb_severe', ['GB'], 'confirmed', 4),
      ]);
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
  });

  it('counts the endpoints and addresses that the fan-out then delivers to, and publishes nothing', async () => {
    const answer = await preview().expect(200);
    expect(answer.body).toEqual({
      webhooks: 2,
      emails: 2,
      changes: [
        { area: KAZAKHSTAN, scheme: 'kz-terror', previous: null, current: RED, direction: 'escalated' },
      ],
    });
    expect((await test.http.get('/v1/levels/KZ').expect(200)).body.levels).toEqual([]);
    expect((await test.http.get('/v1/declarations?area=KZ').expect(200)).body.items).toEqual([]);

    const published = await test.http
      .post('/v1/declarations')
      .set(test.as(publisher))
      .send(body())
      .expect(201);
    const receipts = () => receiver.receipts.filter((r) => r.body.includes(published.body.id));
    await receiver.waitFor(() => receipts().length >= 2, 20_000, 'two webhook deliveries');
    const countsOf = async () =>
      Object.fromEntries(
        (
          await queryRows<{ channel: string; n: number }>(
            test.db,
            sql`select d.channel, count(*)::int as n from deliveries d join outbox o on o.event_id = d.event_id
                where o.declaration_id = ${published.body.id} group by d.channel`,
          )
        ).map((r) => [r.channel, Number(r.n)]),
      );
    const counts = await eventually(countsOf, (seen) => seen.email === 2 && seen.webhook === 2, {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: 'two deliveries on each channel',
    });
    expect(counts).toEqual({ email: 2, webhook: 2 });
    expect(
      receipts()
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/almaty', '/kz']);
  });

  it('finds no change, and nobody, where a higher countrywide level masks the region or the validity is past', async () => {
    await test.http
      .post('/v1/declarations')
      .set(test.as(publisher))
      .send(body({ scheme: 'fr-vigipirate', level: 'urgence-attentat', areas: ['FR'] }))
      .expect(201);
    // Paris at the lowest level stays at the countrywide one in effect: nothing changes, nobody hears.
    const masked = await preview({ scheme: 'fr-vigipirate', level: 'vigilance', areas: ['FR-75C'] }).expect(
      200,
    );
    expect(masked.body).toEqual({ webhooks: 0, emails: 0, changes: [] });
    const history = await preview({
      effectiveAt: '2022-01-07T09:00:00+06:00',
      expiresAt: '2022-01-13T00:00:00+06:00',
    }).expect(200);
    expect(history.body).toEqual({ webhooks: 0, emails: 0, changes: [] });
  });

  it('counts a fall from severe for subscribers of severe and above, as the filter rule says', async () => {
    await test.http
      .post('/v1/declarations')
      .set(test.as(publisher))
      .send(body({ scheme: 'uk-terror', level: 'severe', areas: ['GB'] }))
      .expect(201);
    const falling = await preview({ scheme: 'uk-terror', level: 'substantial', areas: ['GB'] }).expect(200);
    expect(falling.body).toMatchObject({
      webhooks: 1,
      emails: 2,
      changes: [
        {
          area: { code: 'GB' },
          previous: { code: 'severe', rank: 4 },
          current: { code: 'substantial', rank: 3 },
          direction: 'deescalated',
        },
      ],
    });
  });

  it('works out a scheduled declaration as things will stand at its start', async () => {
    await test.http
      .post('/v1/declarations')
      .set(test.as(publisher))
      .send(body({ scheme: 'au-nttas', level: 'probable', areas: ['AU'] }))
      .expect(201);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await preview({
      scheme: 'au-nttas',
      level: 'expected',
      areas: ['AU'],
      effectiveAt: tomorrow,
    }).expect(200);
    expect(scheduled.body.changes).toEqual([
      expect.objectContaining({
        previous: expect.objectContaining({ code: 'probable' }),
        current: expect.objectContaining({ code: 'expected' }),
        direction: 'escalated',
      }),
    ]);
  });

  it('is for publishers and admins, and refuses what publishing would refuse', async () => {
    await test.http.post('/v1/declarations/preview').send(body()).expect(401);
    await preview({}, integrator).expect(403);
    await preview({}, await createKey(test, 'viewer')).expect(403);
    await preview({}, test.as().authorization.slice('Bearer '.length)).expect(200);
    const badLevel = await preview({ level: 'purple' }).expect(422);
    expect(badLevel.body.detail).toBe(
      'Scheme "kz-terror" has no level "purple"; its levels are yellow, orange, red.',
    );
    await preview({ areas: ['XX'] }).expect(422);
    await preview({ headline: '' }).expect(400);
  });
});
