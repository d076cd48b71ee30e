import { tables } from '@tocsin/database';
import { JOB, JobQueues, QUEUE } from '@tocsin/queue';
import { decodeSmsParts } from '@tocsin/sms';
import { and, eq, sql } from 'drizzle-orm';
import { errors } from 'smpp';
import { eventually, stillAfter } from './support/eventually';
import { TestSmsc } from './support/smsc';
import { startTestApp, TestApp } from './support/test-app';

const CODE_TEXT = /^Tocsin code: (\d{6})\. Valid 15 min\.$/;

describe('SMS subscriptions', () => {
  let smsc: TestSmsc;
  let test: TestApp;

  beforeAll(async () => {
    smsc = await TestSmsc.start();
    test = await startTestApp('postgres', { SMPP_URL: smsc.url(), TRUST_PROXY: 'true' });
    // The worker binds at start; messages from phones need the bind.
    await smsc.until(() => smsc.sessions === 1, 'the worker to bind');
  });
  afterAll(async () => {
    await test?.close();
    await smsc?.close();
  });

  // Each number signs up from a client of its own, so the per-client limit (tested below) stays out of the way.
  const signUp = (phone: string, body: Record<string, unknown> = { areas: ['KZ'] }) =>
    test.http
      .post('/v1/sms-subscriptions')
      .set('x-forwarded-for', `10.0.0.${Number(phone.slice(-2))}`)
      .send({ phone, ...body });
  const confirm = (phone: string, code: string) =>
    test.http.post('/v1/sms-subscriptions/confirm').send({ phone, code });
  const rowOf = async (phone: string) =>
    (await test.db.select().from(tables.smsSubscriptions).where(eq(tables.smsSubscriptions.phone, phone)))[0];
  /** Every text the SMSC was given for `phone`, decoded as the phone shows it. */
  const textsTo = (phone: string) =>
    smsc.submits.filter((s) => s.destination === phone.slice(1)).map((s) => decodeSmsParts([s]));
  const waitForTexts = async (phone: string, count: number) => {
    await smsc.until(() => textsTo(phone).length >= count, `${count} texts to ${phone}`, 10_000);
    return textsTo(phone);
  };
  /** The code of a code text in any language. */
  const codeIn = (text: string) => {
    const match = /(?<!\d)(\d{6})(?!\d)/.exec(text);
    if (!match) throw new Error(`not a code text: ${text}`);
    return match[1];
  };
  /** Lets the per-number limit pass again, as if the last code was asked for two minutes ago. */
  const ageLastCode = (phone: string) =>
    test.db
      .update(tables.smsSubscriptions)
      .set({ codeSentAt: sql`now() - interval '2 minutes'` })
      .where(eq(tables.smsSubscriptions.phone, phone));
  const noMoreTextsTo = (phone: string, count: number) =>
    stillAfter(
      700,
      () => textsTo(phone).length,
      (n) => n === count,
    );
  const subscribed = async (phone: string, body?: Record<string, unknown>) => {
    await signUp(phone, body).expect(202);
    const [text] = await waitForTexts(phone, 1);
    await confirm(phone, codeIn(text)).expect(200);
  };

  it('texts a 6-digit code to the number that signed up, stored only hashed, and confirms with it', async () => {
    const accepted = await signUp('+77010000001', {
      areas: ['KZ', 'kz-ala'],
      scheme: 'kz-terror',
      minRank: 2,
    }).expect(202);
    expect(accepted.body).toEqual({
      status: 'accepted',
      message: expect.stringContaining('code'),
      language: 'en',
      exercises: false,
      activeFrom: null,
      activeUntil: null,
    });

    const [text] = await waitForTexts('+77010000001', 1);
    expect(text).toMatch(CODE_TEXT);
    const code = codeIn(text);
    const [submit] = smsc.submits.filter((s) => s.destination === '77010000001');
    expect(submit).toMatchObject({ destinationTon: 1, destinationNpi: 1, dataCoding: 0 });
    const pending = await eventually(
      () => rowOf('+77010000001'),
      (row) => row.codeHash !== null,
      { what: 'the code hash' },
    );
    expect(pending).toMatchObject({
      status: 'pending',
      areas: ['KZ', 'KZ-75'],
      schemeId: 'kz-terror',
      minRank: 2,
      codesToday: 1,
      wrongCodes: 0,
    });
    expect(pending.codeHash).not.toContain(code);

    const confirmed = await confirm('+77010000001', code).expect(200);
    expect(confirmed.body).toEqual({
      status: 'confirmed',
      message: expect.stringContaining('STOP'),
      filter: { areas: ['KZ', 'KZ-75'], scheme: 'kz-terror', minRank: 2, events: null },
      language: 'en',
      exercises: false,
      activeFrom: null,
      activeUntil: null,
    });
    expect(await rowOf('+77010000001')).toMatchObject({
      status: 'confirmed',
      codeHash: null,
      confirmedAt: expect.any(Date),
    });
    // The code is used up.
    await confirm('+77010000001', code).expect(422);
  });

  it('answers every sign-up the same, texts one code a minute, and tells a confirmed number it is subscribed', async () => {
    const first = await signUp('+77010000002', { areas: ['FR'] }).expect(202);
    const second = await signUp('+77010000002', { areas: ['GB'] }).expect(202);
    expect(second.body).toEqual(first.body);
    await waitForTexts('+77010000002', 1);
    await noMoreTextsTo('+77010000002', 1);
    // The latest wishes count while pending.
    expect(await rowOf('+77010000002')).toMatchObject({ status: 'pending', areas: ['GB'] });

    // A later request replaces the code: the first is refused, the new one confirms.
    const oldCode = codeIn(textsTo('+77010000002')[0]);
    await ageLastCode('+77010000002');
    await signUp('+77010000002', { areas: ['GB'] }).expect(202);
    const newCode = codeIn((await waitForTexts('+77010000002', 2))[1]);
    if (newCode !== oldCode) await confirm('+77010000002', oldCode).expect(422);
    await confirm('+77010000002', newCode).expect(200);

    await ageLastCode('+77010000002');
    const again = await signUp('+77010000002', { areas: ['US'] }).expect(202);
    expect(again.body).toEqual(first.body);
    const texts = await waitForTexts('+77010000002', 3);
    expect(texts[2]).toBe('This number already gets Tocsin alerts. Reply STOP to end them.');
    expect(await rowOf('+77010000002')).toMatchObject({ status: 'confirmed', areas: ['GB'] });
  });

  it('locks the number at the fifth wrong code, refuses even the right code while locked, and needs a new code after', async () => {
    await signUp('+77010000003').expect(202);
    const code = codeIn((await waitForTexts('+77010000003', 1))[0]);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i += 1) {
      const refused = await confirm('+77010000003', wrong).expect(422);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.detail).toMatch(/wrong or has expired/);
      expect((await rowOf('+77010000003')).wrongCodes).toBe(i);
    }
    const locking = await confirm('+77010000003', wrong).expect(429);
    expect(locking.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(locking.headers['retry-after'])).toBeGreaterThan(3500);
    expect(locking.body.detail).toMatch(/locked/);

    const right = await confirm('+77010000003', code).expect(429);
    expect(right.body.detail).toMatch(/even the right code is refused/);
    const locked = await rowOf('+77010000003');
    expect(locked).toMatchObject({ status: 'pending', wrongCodes: 5, codeHash: null });
    expect(locked.lockedUntil!.getTime() - Date.now()).toBeGreaterThan(59 * 60_000);

    // While locked, a sign-up texts nothing (and answers as ever).
    await ageLastCode('+77010000003');
    await signUp('+77010000003').expect(202);
    await noMoreTextsTo('+77010000003', 1);

    // Once the lock has passed, the old code stays void; a new one confirms.
    await test.db
      .update(tables.smsSubscriptions)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(tables.smsSubscriptions.phone, '+77010000003'));
    await confirm('+77010000003', code).expect(422);
    await signUp('+77010000003').expect(202);
    const fresh = codeIn((await waitForTexts('+77010000003', 2))[1]);
    await eventually(
      () => rowOf('+77010000003'),
      (row) => row.codeHash !== null && row.wrongCodes === 0,
      { what: 'the new code stored, wrong codes counted afresh' },
    );
    await confirm('+77010000003', fresh).expect(200);
  });

  it('refuses an expired code, and a code for a number never signed up, with the same problem', async () => {
    await signUp('+77010000004').expect(202);
    const code = codeIn((await waitForTexts('+77010000004', 1))[0]);
    await eventually(
      () => rowOf('+77010000004'),
      (row) => row.codeHash !== null,
    );
    await test.db
      .update(tables.smsSubscriptions)
      .set({ codeSentAt: sql`now() - interval '16 minutes'` })
      .where(eq(tables.smsSubscriptions.phone, '+77010000004'));
    const expired = await confirm('+77010000004', code).expect(422);
    const unknown = await confirm('+77019999999', code).expect(422);
    expect(unknown.body.detail).toBe(expired.body.detail);
    expect((await rowOf('+77010000004')).status).toBe('pending');
  });

  it('unsubscribes on STOP in any case and answers it once, in the subscriber’s language; a second STOP gets no answer', async () => {
    await subscribed('+77010000005', { areas: ['KZ'], language: 'ru' });
    expect(textsTo('+77010000005')[0]).toMatch(/^Код Tocsin: \d{6}\. Действует 15 мин\.$/);
    await smsc.sendFromPhone('+77010000005', ' Stop ');
    const texts = await waitForTexts('+77010000005', 2);
    expect(texts[1]).toBe('Вы больше не будете получать оповещения Tocsin.');
    expect(await rowOf('+77010000005')).toMatchObject({
      status: 'unsubscribed',
      unsubscribedAt: expect.any(Date),
    });

    await smsc.sendFromPhone('+77010000005', 'STOP');
    await noMoreTextsTo('+77010000005', 2);

    await subscribed('+77010000006');
    await smsc.sendFromPhone('+77010000006', 'stop');
    expect((await waitForTexts('+77010000006', 2))[1]).toBe('You will get no more alerts from Tocsin.');
    expect((await rowOf('+77010000006')).status).toBe('unsubscribed');

    // Coming back after STOP is a sign-up like any other.
    await ageLastCode('+77010000006');
    await signUp('+77010000006').expect(202);
    expect(codeIn((await waitForTexts('+77010000006', 3))[2])).toMatch(/^\d{6}$/);
    expect((await rowOf('+77010000006')).status).toBe('pending');
  });

  it('ignores other replies and STOP from numbers it does not know', async () => {
    await subscribed('+77010000007');
    await smsc.sendFromPhone('+77010000007', 'STOP please');
    await smsc.sendFromPhone('+77010000007', 'Thanks!');
    await smsc.sendFromPhone('+77010000008', 'STOP');
    await noMoreTextsTo('+77010000007', 1);
    expect(textsTo('+77010000008')).toEqual([]);
    expect((await rowOf('+77010000007')).status).toBe('confirmed');
  });

  it('retries a code the SMSC throttled, and gives up on a number it refuses for good', async () => {
    const refusedTo = (phone: string) =>
      smsc.refusedSubmits.filter((s) => s.destination === phone.slice(1)).map((s) => s.status);
    smsc.refuseNext(1, errors.ESME_RTHROTTLED);
    await signUp('+77010000213').expect(202);
    // BullMQ's retry, a second later, makes a fresh code and texts it.
    const [text] = await waitForTexts('+77010000213', 1);
    expect(refusedTo('+77010000213')).toEqual([errors.ESME_RTHROTTLED]);
    await confirm('+77010000213', codeIn(text)).expect(200);

    smsc.refuseNext(1, errors.ESME_RINVDSTADR);
    await signUp('+77010000214').expect(202);
    await smsc.until(() => refusedTo('+77010000214').length === 1, 'the refusal');
    await stillAfter(
      2500,
      () => refusedTo('+77010000214').length + textsTo('+77010000214').length,
      (n) => n === 1,
    );
  });

  it('refuses bad phone numbers, areas, filters and codes with a 4xx problem', async () => {
    const admin = test.as(); // exempt from the per-client limit, so the count of these does not matter
    const badPhones: unknown[] = [
      '77010000009',
      '+07010000009',
      '+7 701 000 0009',
      '+7701\u00000000009',
      '+12345',
      '+1234567890123456',
      '+7701000000９',
      77010000009,
      null,
      undefined,
    ];
    for (const phone of badPhones) {
      const refused = await test.http
        .post('/v1/sms-subscriptions')
        .set(admin)
        .send({ phone, areas: ['KZ'] })
        .expect(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    for (const body of [
      { areas: [] },
      { areas: ['XX-NOPE'] },
      { areas: 'KZ' },
      { areas: ['KZ'], minRank: 0 },
      { areas: ['KZ'], events: ['sideways'] },
      { areas: ['KZ'], language: 'not a tag!' },
      { areas: ['KZ'], exercises: 'yes' },
    ])
      await test.http
        .post('/v1/sms-subscriptions')
        .set(admin)
        .send({ phone: '+77010000009', ...body })
        .expect(400);
    await test.http
      .post('/v1/sms-subscriptions')
      .set(admin)
      .send({ phone: '+77010000009', areas: ['KZ'], scheme: 'no-such-scheme' })
      .expect(422);
    for (const body of [
      {},
      { phone: '+77010000009' },
      { phone: '+77010000009', code: '12345' },
      { phone: '+77010000009', code: 'abcdef' },
    ])
      await test.http.post('/v1/sms-subscriptions/confirm').send(body).expect(400);
    expect(await rowOf('+77010000009')).toBeUndefined();
    expect(textsTo('+77010000009')).toEqual([]);
  });

  it('lets an admin list, disable and erase subscribers; the erasure is audited', async () => {
    await signUp('+77010000010').expect(202);
    await subscribed('+77010000011');
    await test.http.get('/v1/sms-subscriptions').expect(401);

    const listed = await test.http
      .get('/v1/sms-subscriptions?q=7701000001&limit=1')
      .set(test.as())
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ phone: '+77010000011', status: 'confirmed' }),
    ]);
    const next = await test.http
      .get(`/v1/sms-subscriptions?q=7701000001&limit=1&cursor=${listed.body.nextCursor}`)
      .set(test.as())
      .expect(200);
    expect(next.body.items).toEqual([expect.objectContaining({ phone: '+77010000010', status: 'pending' })]);
    const confirmedOnly = await test.http
      .get('/v1/sms-subscriptions?status=confirmed&q=7701000001')
      .set(test.as())
      .expect(200);
    expect(confirmedOnly.body.items.map((s: { phone: string }) => s.phone)).toEqual(['+77010000011']);
    await test.http.get('/v1/sms-subscriptions?status=everything').set(test.as()).expect(400);

    const id = listed.body.items[0].id as string;
    const disabled = await test.http
      .patch(`/v1/sms-subscriptions/${id}`)
      .set(test.as())
      .send({ enabled: false })
      .expect(200);
    expect(disabled.body.status).toBe('disabled');
    // A disabled number is neither texted on sign-up nor answered on STOP, and stays disabled.
    await ageLastCode('+77010000011');
    await signUp('+77010000011').expect(202);
    await smsc.sendFromPhone('+77010000011', 'STOP');
    await noMoreTextsTo('+77010000011', 1);
    expect((await rowOf('+77010000011')).status).toBe('disabled');
    const enabled = await test.http
      .patch(`/v1/sms-subscriptions/${id}`)
      .set(test.as())
      .send({ enabled: true })
      .expect(200);
    expect(enabled.body.status).toBe('confirmed');

    // An alert makes it a delivery; erasing the subscriber takes its deliveries with it.
    await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'kz-terror',
        level: 'red',
        areas: ['KZ-75'],
        headline: 'Critical terrorism threat level in Almaty',
        summary: 'Repeat attacks are possible.',
        authority: 'Anti-Terrorist Centre',
      })
      .expect(201);
    const deliveriesOf = () =>
      test.db.select().from(tables.deliveries).where(eq(tables.deliveries.smsSubscriptionId, id));
    await eventually(deliveriesOf, (rows) => rows.length === 1, { what: 'the alert delivery' });

    await test.http.delete(`/v1/sms-subscriptions/${id}`).set(test.as()).expect(204);
    await test.http.get(`/v1/sms-subscriptions/${id}`).set(test.as()).expect(404);
    await test.http.delete(`/v1/sms-subscriptions/${id}`).set(test.as()).expect(404);
    expect(await rowOf('+77010000011')).toBeUndefined();
    expect(await deliveriesOf()).toEqual([]);
    const audited = await test.db
      .select()
      .from(tables.auditLog)
      .where(and(eq(tables.auditLog.action, 'subscriber.erased'), eq(tables.auditLog.targetId, id)));
    expect(audited).toEqual([expect.objectContaining({ targetType: 'sms_subscription' })]);
    expect(JSON.stringify(audited)).not.toContain('77010000011');
  });
});

describe('SMS subscriptions without SMPP_URL', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp('postgres', {}, 'api');
  });
  afterAll(() => test?.close());

  it('answers a sign-up 503, and keeps nothing', async () => {
    const refused = await test.http
      .post('/v1/sms-subscriptions')
      .send({ phone: '+77010000012', areas: ['KZ'] })
      .expect(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/SMPP_URL/);
    expect(await test.db.select().from(tables.smsSubscriptions)).toEqual([]);
  });
});

describe('SMS sign-up in an API process alone', () => {
  let smsc: TestSmsc;
  let test: TestApp;

  beforeAll(async () => {
    smsc = await TestSmsc.start();
    test = await startTestApp('postgres', { SMPP_URL: smsc.url() }, 'api');
  });
  afterAll(async () => {
    await test?.close();
    await smsc?.close();
  });

  it('queues the code for a worker and never binds to the SMSC itself', async () => {
    // With the admin key, so that this sign-up leaves the per-client count to the next test.
    await test.http
      .post('/v1/sms-subscriptions')
      .set(test.as())
      .send({ phone: '+77010000015', areas: ['KZ'] })
      .expect(202);
    const [row] = await test.db
      .select()
      .from(tables.smsSubscriptions)
      .where(eq(tables.smsSubscriptions.phone, '+77010000015'));
    const queue = test.app.get(JobQueues).queue(QUEUE.delivery);
    const jobs = await eventually(
      () => queue.getJobs(['waiting', 'prioritized', 'delayed']),
      (found) => found.some((job) => job.name === JOB.sendSmsCode),
      { what: 'the code job' },
    );
    expect(jobs.find((job) => job.name === JOB.sendSmsCode)!.data).toEqual({
      subscriptionId: row.id,
      requestedAt: row.codeSentAt!.toISOString(),
    });
    expect(row.codeHash).toBeNull();
    await stillAfter(
      500,
      () => smsc.binds.length,
      (n) => n === 0,
    );
  });

  it('answers a client that signs up too often with 429 and Retry-After, but not an admin', async () => {
    for (let i = 0; i < 20; i += 1)
      await test.http
        .post('/v1/sms-subscriptions')
        .send({ phone: `+7702000${String(i).padStart(4, '0')}`, areas: ['KZ'] })
        .expect(202);
    const refused = await test.http
      .post('/v1/sms-subscriptions')
      .send({ phone: '+77020009999', areas: ['KZ'] })
      .expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    await test.http
      .post('/v1/sms-subscriptions')
      .set(test.as())
      .send({ phone: '+77020009999', areas: ['KZ'] })
      .expect(202);
  });
});
