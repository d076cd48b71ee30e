import { tables } from '@tocsin/database';
import { JOB, jobOptions, JobQueues, liveEventsChannel, QUEUE } from '@tocsin/queue';
import Redis from 'ioredis';
import { eq } from 'drizzle-orm';
import { eventually } from './support/eventually';
import { createKey, startTestApp, TestApp } from './support/test-app';

const body = (overrides: Record<string, unknown> = {}) => ({
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ'],
  headline: 'Critical (red) terrorism threat level across Kazakhstan',
  summary: 'An attack has happened; repeat attacks are possible.',
  authority: 'Anti-Terrorist Centre of the Republic of Kazakhstan',
  ...overrides,
});
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe('declarations over HTTP', () => {
  let test: TestApp;
  let publisher: string;

  beforeAll(async () => {
    test = await startTestApp('postgres');
    publisher = await createKey(test, 'publisher', 'duty desk');
  });
  afterAll(() => test?.close());

  const publish = (overrides: Record<string, unknown> = {}) =>
    test.http.post('/v1/declarations').set(test.as(publisher)).send(body(overrides));
  const levelOf = async (area: string, scheme = 'kz-terror') =>
    (await test.http.get(`/v1/levels/${area}`).expect(200)).body.levels.find(
      (l: { scheme: string }) => l.scheme === scheme,
    ) ?? null;
  const outboxOf = (declarationId: string) =>
    test.db.select().from(tables.outbox).where(eq(tables.outbox.declarationId, declarationId));

  it('publishes a declaration that takes effect now and answers with the contract shape', async () => {
    const response = await publish({ areas: ['KG'], scheme: 'travel-advisory', level: '3' }).expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^dcl_/),
      status: 'active',
      scheme: 'travel-advisory',
      level: {
        code: '3',
        rank: 3,
        name: 'Reconsider travel',
        color: expect.stringMatching(/^#[0-9a-f]{6}$/),
      },
      areas: [{ code: 'KG', name: 'Kyrgyzstan', type: 'country', parent: null }],
      headline: body().headline,
      summary: body().summary,
      measures: expect.arrayContaining([expect.any(String)]),
      language: 'en',
      translations: {},
      authority: body().authority,
      sourceUrl: null,
      effectiveAt: expect.any(String),
      expiresAt: null,
      createdAt: response.body.effectiveAt,
      createdBy: 'duty desk',
      createdByKey: expect.stringMatching(/^key_/),
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
      origin: null,
      mode: 'actual',
      approval: null,
      approvedBy: null,
      rejectedBy: null,
      decidedAt: null,
      rejectReason: null,
      urgentReason: null,
      cancelRequest: null,
    });
    expect((await levelOf('KG', 'travel-advisory')).level.code).toBe('3');
  });

  it('writes one outbox event with the changes, in the same transaction as the declaration', async () => {
    const first = await publish({ areas: ['UZ'], scheme: 'travel-advisory', level: '2' }).expect(201);
    const second = await publish({ areas: ['UZ', 'UZ-TK'], scheme: 'travel-advisory', level: '4' }).expect(
      201,
    );
    const [event] = await outboxOf(second.body.id);
    // Not `relayedAt: null`: the commit wakes the relay, which may have handed it on already.
    expect(event).toMatchObject({ type: 'threat_level.changed', cause: 'declared' });
    expect(event.payload).toMatchObject({
      type: 'threat_level.changed',
      data: {
        eventId: event.eventId,
        cause: 'declared',
        declaration: { id: second.body.id, scheme: 'travel-advisory', level: { code: '4', rank: 4 } },
        changes: [
          {
            area: { code: 'UZ', name: 'Uzbekistan' },
            scheme: 'travel-advisory',
            previous: { code: '2', rank: 2, declarationId: first.body.id },
            current: { code: '4', rank: 4, declarationId: second.body.id },
            direction: 'escalated',
            sequence: 2,
          },
          {
            area: { code: 'UZ-TK', name: expect.any(String) },
            scheme: 'travel-advisory',
            previous: { code: '2', rank: 2, declarationId: first.body.id },
            current: { code: '4', rank: 4, declarationId: second.body.id },
            direction: 'escalated',
            sequence: 1,
          },
        ],
      },
    });
  });

  it('supersedes the older declaration for an area, even with a lower level', async () => {
    const red = await publish({ areas: ['TJ'], scheme: 'travel-advisory', level: '4' }).expect(201);
    await publish({ areas: ['TJ'], scheme: 'travel-advisory', level: '1' }).expect(201);
    expect((await levelOf('TJ', 'travel-advisory')).level.code).toBe('1');
    expect((await test.http.get(`/v1/declarations/${red.body.id}`).expect(200)).body.status).toBe(
      'superseded',
    );
  });

  it('schedules a declaration, makes it active at its start and reverts at its expiry, as read', async () => {
    const scheduled = await publish({
      areas: ['KZ-62'],
      level: 'yellow',
      effectiveAt: inSeconds(1),
      expiresAt: inSeconds(2),
    }).expect(201);
    expect(scheduled.body.status).toBe('scheduled');
    expect(await levelOf('KZ-62')).toBeNull();
    expect((await outboxOf(scheduled.body.id)).map((e) => [e.cause, e.payload]).sort()).toEqual([
      ['declared', null],
      ['expired', null],
    ]);
    // The status first: once it has moved on, the level read after it must show the same moment.
    const read = async () => ({
      status: (await test.http.get(`/v1/declarations/${scheduled.body.id}`).expect(200)).body
        .status as string,
      level: ((await levelOf('KZ-62'))?.level.code ?? null) as string | null,
    });
    const started = await eventually(read, (state) => state.status !== 'scheduled', {
      timeoutMs: 5000,
      what: 'the declaration to start',
    });
    expect(started).toEqual({ status: 'active', level: 'yellow' });
    const expired = await eventually(read, (state) => state.status !== 'active', {
      timeoutMs: 5000,
      what: 'the declaration to expire',
    });
    expect(expired).toEqual({ status: 'expired', level: null });
  });

  it('cancels an active declaration: the level goes, the event says so, and the pending expiry is dropped', async () => {
    const active = await publish({ areas: ['KZ-10'], level: 'orange', expiresAt: inSeconds(3600) }).expect(
      201,
    );
    const cancelled = await test.http
      .post(`/v1/declarations/${active.body.id}/cancel`)
      .set(test.as(publisher))
      .send({ reason: 'Published for the wrong region.' })
      .expect(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'duty desk',
      cancelReason: 'Published for the wrong region.',
    });
    expect(await levelOf('KZ-10')).toBeNull();
    const events = await outboxOf(active.body.id);
    expect(events.map((e) => e.cause).sort()).toEqual(['cancelled', 'declared']);
    expect(events.find((e) => e.cause === 'cancelled')!.payload).toMatchObject({
      data: {
        cause: 'cancelled',
        changes: [
          { area: { code: 'KZ-10' }, previous: { code: 'orange' }, current: null, direction: 'deescalated' },
        ],
      },
    });
    const history = (await test.http.get('/v1/levels/KZ-10/history').expect(200)).body.items;
    expect(history.map((c: { cause: string; by: string }) => [c.cause, c.by])).toEqual([
      ['cancelled', 'duty desk'],
      ['declared', 'duty desk'],
    ]);
  });

  it('cancels a scheduled declaration so that it never takes effect', async () => {
    const scheduled = await publish({ areas: ['KZ-33'], effectiveAt: inSeconds(3600) }).expect(201);
    await test.http
      .post(`/v1/declarations/${scheduled.body.id}/cancel`)
      .set(test.as(publisher))
      .send({})
      .expect(200);
    expect(await outboxOf(scheduled.body.id)).toEqual([]);
    expect((await test.http.get('/v1/levels/KZ-33').query({ at: inSeconds(7200) })).body.levels).toEqual([]);
  });

  it('refuses to cancel twice', async () => {
    const active = await publish({ areas: ['KZ-43'] }).expect(201);
    await test.http
      .post(`/v1/declarations/${active.body.id}/cancel`)
      .set(test.as(publisher))
      .send({})
      .expect(200);
    const again = await test.http
      .post(`/v1/declarations/${active.body.id}/cancel`)
      .set(test.as(publisher))
      .send({})
      .expect(409);
    expect(again.body.detail).toContain('cancelled');
  });

  it('lists declarations newest first, filtered by area, status and scheme, page by page', async () => {
    const all = await test.http.get('/v1/declarations?limit=2').expect(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await test.http.get(`/v1/declarations?limit=2&cursor=${all.body.nextCursor}`).expect(200);
    expect(next.body.items[0].createdAt <= all.body.items[1].createdAt).toBe(true);
    expect(next.body.items.map((d: { id: string }) => d.id)).not.toContain(all.body.items[1].id);

    const cancelled = await test.http.get('/v1/declarations?status=cancelled').expect(200);
    expect(cancelled.body.items.length).toBe(3);
    expect(cancelled.body.items.every((d: { status: string }) => d.status === 'cancelled')).toBe(true);

    const uz = await test.http.get('/v1/declarations?area=UZ-TK&scheme=travel-advisory').expect(200);
    expect(uz.body.items.map((d: { level: { code: string } }) => d.level.code)).toEqual(['4']);
  });

  it('lets an admin publish too, and names the key', async () => {
    const response = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send(body({ areas: ['KZ-59'] }))
      .expect(201);
    expect(response.body.createdBy).toBe('bootstrap admin (ADMIN_API_KEY)');
  });
});

describe('declarations hand their events on', () => {
  // The API alone: no relay runs, so a fan-out job in the queue (and the relayed mark) is the act's own.
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp('postgres', {}, 'api');
  });
  afterAll(() => test?.close());

  const fanOutJobOf = async (declarationId: string) => {
    const events = await test.db
      .select()
      .from(tables.outbox)
      .where(eq(tables.outbox.declarationId, declarationId));
    const queue = test.app.get(JobQueues).queue(QUEUE.fanOut);
    return Promise.all(
      events.map(async (event) => ({
        cause: event.cause,
        relayed: event.relayedAt !== null,
        job: await queue.getJob(jobOptions(JOB.fanOut, { eventId: event.eventId }).jobId!),
      })),
    );
  };

  it('queues the fan-out of an event due now and marks it relayed once it commits, leaving what is due later to the relay', async () => {
    const now = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send(body({ areas: ['KZ-75'], expiresAt: inSeconds(3600) }))
      .expect(201);
    const later = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send(body({ areas: ['KZ-71'], effectiveAt: inSeconds(3600), expiresAt: inSeconds(7200) }))
      .expect(201);
    // The hand-off is not awaited by the act: the job and the mark follow within moments.
    const events = await eventually(
      () => fanOutJobOf(now.body.id),
      (events) => events.some((e) => e.cause === 'declared' && e.job && e.relayed),
      { what: 'the declared event queued and marked relayed' },
    );
    expect(events.map((e) => [e.cause, e.relayed, e.job?.data ?? null]).sort()).toEqual([
      ['declared', true, { eventId: expect.stringMatching(/^evt_/) }],
      ['expired', false, null],
    ]);
    expect((await fanOutJobOf(later.body.id)).map((e) => e.job ?? null)).toEqual([null, null]);

    // Announced live by the hand-off, as a relay would: its position is the one a stream resumes from.
    const declared = events.find((e) => e.cause === 'declared')!;
    const [{ position }] = await test.db
      .select({ position: tables.outbox.position })
      .from(tables.outbox)
      .where(eq(tables.outbox.eventId, declared.job!.data.eventId));
    const live = new Redis(test.config.redisUrl);
    const heard: { position: number; event: { data: { eventId: string } } }[] = [];
    try {
      await live.subscribe(liveEventsChannel(test.config.queuePrefix));
      live.on('message', (_channel, message: string) => heard.push(JSON.parse(message)));
      await test.http.post(`/v1/declarations/${now.body.id}/cancel`).set(test.as()).send({}).expect(200);
      await eventually(
        () => heard,
        (messages) => messages.length > 0,
        { what: 'the cancellation announced live' },
      );
    } finally {
      live.disconnect();
    }
    expect(heard).toEqual([
      { position: expect.any(Number), event: expect.objectContaining({ type: 'threat_level.changed' }) },
    ]);
    expect(heard[0].position).toBeGreaterThan(Number(position));
    await eventually(
      () => fanOutJobOf(now.body.id),
      (events) => events.some((e) => e.cause === 'cancelled' && e.job && e.relayed),
      { what: 'the fan-out job of the cancellation' },
    );
  });
});
