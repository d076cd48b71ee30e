// Trips (issue 18, DESIGN.md §5.6) over real SMTP, with the worker's trip clock sweeping every second: a
// subscription for a window a few seconds ahead hears nothing before it, gets one "current situation" email
// at its start (with the level declared before the trip), the alerts inside it, and nothing after it, when
// its status is `ended` (audited, and said on its manage page in its language). A subscriber with no trip
// beside it hears every alert, so "nothing" is measured against something that arrived. By SMS (a real SMSC
// on a local port), a number confirmed after its trip began is texted the summary at once, and ends with it.
import { tables } from '@tocsin/database';
import { decodeSmsParts } from '@tocsin/sms';
import { EmailSubscriptionsService } from '@tocsin/subscribers';
import { eq } from 'drizzle-orm';
import { ParsedMail } from 'mailparser';
import { uuidv7 } from 'uuidv7';
import { tripSummaryMessageId } from '../libs/delivery/src/trip-summary-email';
import { eventually } from './support/eventually';
import { SmscSubmit, TestSmsc } from './support/smsc';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://alerts.tocsin.test';
const TRAVELLER = 'traveller@ngo.example';
const ALWAYS = 'desk@ngo.example';
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;
const isSummary = (mail: ParsedMail) => mail.headers.has('x-tocsin-trip-summary');
const isAlert = (mail: ParsedMail) => mail.headers.has('x-tocsin-event-id');

describe('trips', () => {
  let smtp: SmtpSink;
  let smsc: TestSmsc;
  let test: TestApp;
  let declared = 0;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    smsc = await TestSmsc.start();
    test = await startTestApp('postgres', {
      SMTP_URL: smtp.url,
      SMPP_URL: smsc.url(),
      SMS_FROM: 'Tocsin',
      PUBLIC_URL,
      TRIP_CLOCK_SECONDS: '1',
    });
    const now = new Date();
    await test.db.insert(tables.emailSubscriptions).values({
      id: `sub_${uuidv7()}`,
      email: ALWAYS,
      areas: ['IS'],
      status: 'confirmed',
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
    });
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
    await smsc?.close();
  });

  /** Declares a travel advisory level for Iceland, and waits for the subscriber with no trip to have it. */
  async function declare(level: string): Promise<string> {
    declared++;
    const { body } = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'travel-advisory',
        level,
        areas: ['IS'],
        headline: `Iceland advisory, change ${declared}`,
        summary: 'Volcanic activity on the Reykjanes peninsula.',
        authority: 'Foreign Office',
      })
      .expect(201);
    await eventually(
      () => smtp.to(ALWAYS).filter(isAlert),
      (alerts) => alerts.length === declared,
      { timeoutMs: 10_000, what: `alert ${declared} to ${ALWAYS}` },
    );
    return body.id as string;
  }
  const travellerMail = () => smtp.to(TRAVELLER).filter((m) => isAlert(m) || isSummary(m));

  /**
   * The declaration's delivery counts once its fan-out is done: every matching subscriber has its delivery
   * row and none can follow, so "none for the traveller" is then a fact, not a moment before one arrives.
   */
  async function fannedOut(declarationId: string) {
    const summary = await eventually(
      async () =>
        (
          await test.http
            .get(`/v1/declarations/${declarationId}/deliveries/summary`)
            .set(test.as())
            .expect(200)
        ).body,
      (body) => body.fannedOut === true,
      { timeoutMs: 10_000, what: `the fan-out of ${declarationId}` },
    );
    return summary.byChannel as Record<'email' | 'sms' | 'webhook', { total: number }>;
  }
  const emailDeliveriesTo = (id: string) =>
    test.db.select().from(tables.deliveries).where(eq(tables.deliveries.emailSubscriptionId, id));

  it('refuses a window that cannot be a trip, with a problem saying why, and records nothing', async () => {
    const signUp = (window: Record<string, unknown>) =>
      test.http
        .post('/v1/email-subscriptions')
        .set(test.as())
        .send({ email: 'nobody@ngo.example', areas: ['IS'], ...window });
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ activeFrom: 'next tuesday' }, /activeFrom must be an ISO 8601 date-time/],
      [{ activeUntil: '2027-02-30T00:00:00Z' }, /activeUntil must be an ISO 8601 date-time/],
      [{ activeUntil: '9999-01-01T00:00:00Z' }, /more than 10 years from now/],
      [{ activeFrom: inAnHour, activeUntil: inAnHour }, /must be before activeUntil/],
      [{ activeUntil: '2020-01-01T00:00:00Z' }, /already past/],
    ];
    for (const [window, message] of cases) {
      const response = await signUp(window).expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(response.body)).toMatch(message);
    }
    const rows = await test.db
      .select()
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.email, 'nobody@ngo.example'));
    expect(rows).toEqual([]);
  });

  it('sends nothing before the trip, the summary at its start, alerts inside, nothing after, and ends it', async () => {
    // A level before the trip: the summary must show it.
    await declare('2');

    const activeFrom = new Date(Math.ceil((Date.now() + 5000) / 1000) * 1000);
    const activeUntil = new Date(activeFrom.getTime() + 7000);
    const accepted = await test.http
      .post('/v1/email-subscriptions')
      .send({
        email: TRAVELLER,
        areas: ['IS'],
        language: 'ru',
        timeZone: 'Atlantic/Reykjavik',
        activeFrom: activeFrom.toISOString().replace('Z', '+00:00'),
        activeUntil: activeUntil.toISOString(),
      })
      .expect(202);
    expect(accepted.body).toMatchObject({
      activeFrom: activeFrom.toISOString(),
      activeUntil: activeUntil.toISOString(),
    });
    const [confirmation] = await smtp.waitFor(TRAVELLER);
    const token = tokenOf(linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`));
    const confirmed = await test.http.post('/v1/email-subscriptions/confirm').send({ token }).expect(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', activeFrom: activeFrom.toISOString() });
    const [row] = await test.db
      .select()
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.email, TRAVELLER));

    // Before the trip: an alert reaches the desk, not the traveller (its fan-out done: the desk's delivery only).
    const beforeTrip = await declare('3');
    expect(Date.now()).toBeLessThan(activeFrom.getTime());
    expect((await fannedOut(beforeTrip)).email.total).toBe(1);
    expect(await emailDeliveriesTo(row.id)).toEqual([]);
    expect(travellerMail()).toEqual([]);

    // At its start: one summary, in Russian, with the level now (3, declared before the trip).
    const [summary] = await eventually(
      () => smtp.to(TRAVELLER).filter(isSummary),
      (found) => found.length > 0,
      { timeoutMs: 8000, what: 'the trip summary' },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(activeFrom.getTime());
    expect(summary.subject).toBe('Ваша поездка: уровни угрозы сейчас — Исландия (IS)');
    expect(summary.messageId).toBe(tripSummaryMessageId(row.id, activeFrom, 'alerts.tocsin.test'));
    expect(summary.headers.get('x-tocsin-trip-summary')).toBe(activeFrom.toISOString());
    expect(summary.text).toContain('Ваша поездка началась.');
    // Level 3 of the travel advisory (the scheme has no Russian names of its own).
    expect(summary.text).toContain('Исландия (IS): travel advisory level: Reconsider travel');
    expect(summary.html).toContain('class="level-badge"');
    // Its dates in the traveller's zone (Reykjavik is UTC+0 all year).
    expect(summary.text).toMatch(/^Оповещения до: .* \(UTC\)$/m);
    const sentAt = (await test.http.get(`/v1/email-subscriptions/${row.id}`).set(test.as()).expect(200)).body
      .tripSummarySentAt;
    expect(sentAt).toEqual(expect.any(String));
    // The manage page shows the trip, in the traveller's language and zone.
    const manageUrl = linkIn(summary, `${PUBLIC_URL}/v1/email-subscriptions/manage?token=`);
    const path = manageUrl.slice(PUBLIC_URL.length);
    const during = await test.http.get(path).set('accept', 'text/html').expect(200);
    expect(during.text).toMatch(/Начало поездки: <strong>[^<]+ \(UTC\)<\/strong>/);
    expect(during.text).toMatch(/Конец поездки: <strong>[^<]+ \(UTC\)<\/strong>/);

    // Inside the trip: an alert reaches the traveller too.
    const insideTrip = await declare('2');
    expect(Date.now()).toBeLessThan(activeUntil.getTime());
    const [alert] = await smtp.waitFor(TRAVELLER, 3).then((all) => all.filter(isAlert));
    expect(alert.headers.get('x-tocsin-declaration-id')).toBe(insideTrip);
    expect((await fannedOut(insideTrip)).email.total).toBe(2);

    // After it: ended (by the clock, not only on read), audited, and nothing more.
    const ended = await eventually(
      async () => (await test.http.get(`/v1/email-subscriptions/${row.id}`).set(test.as()).expect(200)).body,
      (body) => body.status === 'ended',
      { timeoutMs: 10_000, what: 'the trip to end' },
    );
    expect(ended).toMatchObject({
      activeFrom: activeFrom.toISOString(),
      activeUntil: activeUntil.toISOString(),
      tripSummarySentAt: sentAt,
    });
    // After the trip: the fan-out done with the desk's delivery only, none for the traveller, and no mail.
    const afterTrip = await declare('3');
    expect((await fannedOut(afterTrip)).email.total).toBe(1);
    const travellers = await emailDeliveriesTo(row.id);
    expect(travellers).toHaveLength(1);
    const [{ declarationId }] = await test.db
      .select()
      .from(tables.outbox)
      .where(eq(tables.outbox.eventId, travellers[0].eventId));
    expect(declarationId).toBe(insideTrip);
    expect(travellerMail().map((m) => (isSummary(m) ? 'summary' : 'alert'))).toEqual(['summary', 'alert']);
    const audit = await test.http.get('/v1/audit?action=subscriber.ended').set(test.as()).expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'subscriber.ended',
        actor: expect.objectContaining({ role: 'system' }),
        target: { type: 'email_subscription', id: row.id },
      }),
    ]);

    // The manage link says so, in the traveller's language; its JSON has the status.
    const page = await test.http.get(path).set('accept', 'text/html').expect(200);
    expect(page.text).toContain('<html lang="ru">');
    expect(page.text).toContain('Ваша поездка завершилась');
    const json = await test.http.get(path).expect(200);
    expect(json.body).toMatchObject({ status: 'ended', activeUntil: activeUntil.toISOString() });
    expect((await test.http.get('/v1/email-subscriptions?status=ended').set(test.as())).body.items).toEqual([
      expect.objectContaining({ id: row.id, status: 'ended' }),
    ]);

    // Signing up again is the next trip: pending until confirmed, with its own summary owed.
    const next = {
      activeFrom: new Date(Date.now() + 86_400_000),
      activeUntil: new Date(Date.now() + 2 * 86_400_000),
    };
    await test.http
      .post('/v1/email-subscriptions')
      .send({ email: TRAVELLER, areas: ['IS'], activeFrom: next.activeFrom, activeUntil: next.activeUntil })
      .expect(202);
    expect(
      (await test.http.get(`/v1/email-subscriptions/${row.id}`).set(test.as()).expect(200)).body,
    ).toMatchObject({
      status: 'pending',
      activeFrom: next.activeFrom.toISOString(),
      activeUntil: next.activeUntil.toISOString(),
      tripSummarySentAt: null,
    });
  });

  it('texts a number confirmed after its trip began the summary at once, and ends the trip after it', async () => {
    const phone = '+3546110001';
    /** The texts the SMSC took for the number (each one part here). */
    const texts = () =>
      smsc.submits
        .filter((submit: SmscSubmit) => submit.destination === phone.slice(1))
        .map((submit) => decodeSmsParts([submit]));
    const activeUntil = new Date(Date.now() + 6000);
    await test.http
      .post('/v1/sms-subscriptions')
      .send({
        phone,
        areas: ['IS'],
        activeFrom: new Date(Date.now() - 3_600_000).toISOString(),
        activeUntil: activeUntil.toISOString(),
      })
      .expect(202);
    const [codeText] = await eventually(texts, (found) => found.length > 0, { what: 'the code' });
    const code = /\b(\d{6})\b/.exec(codeText)![1];
    await test.http.post('/v1/sms-subscriptions/confirm').send({ phone, code }).expect(200);

    const [, summary] = await eventually(texts, (found) => found.length > 1, {
      timeoutMs: 5000,
      what: 'the trip summary by SMS',
    });
    expect(summary).toMatch(
      /^Tocsin: your trip alerts are on\. Levels now: Iceland: .+ \(\d\)\. https:\/\/alerts\.tocsin\.test\/country\/IS$/,
    );
    const [row] = await test.db
      .select()
      .from(tables.smsSubscriptions)
      .where(eq(tables.smsSubscriptions.phone, phone));
    const ended = await eventually(
      async () => (await test.http.get(`/v1/sms-subscriptions/${row.id}`).set(test.as()).expect(200)).body,
      (body) => body.status === 'ended',
      { timeoutMs: 10_000, what: 'the SMS trip to end' },
    );
    expect(ended).toMatchObject({
      activeUntil: activeUntil.toISOString(),
      tripSummarySentAt: expect.any(String),
    });
    // After the trip: the fan-out done with no SMS delivery (the number is the only one for IS), none to it.
    const afterTrip = await declare('2');
    expect((await fannedOut(afterTrip)).sms.total).toBe(0);
    expect(
      await test.db.select().from(tables.deliveries).where(eq(tables.deliveries.smsSubscriptionId, row.id)),
    ).toEqual([]);
    expect(texts()).toHaveLength(2);
  });
});

// The trip clock has not swept yet (no worker here): a confirmed trip whose end has passed is still
// `confirmed`, and its manage link must still take a change that leaves the end alone.
describe('a trip past its end, not yet swept, from its manage link', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp('postgres', { PUBLIC_URL }, 'api');
  });
  afterAll(() => test?.close());

  it('changes its language, and refuses only an end moved into the past', async () => {
    const now = Date.now();
    const id = `sub_${uuidv7()}`;
    await test.db.insert(tables.emailSubscriptions).values({
      id,
      email: 'late@ngo.example',
      areas: ['IS'],
      status: 'confirmed',
      activeFrom: new Date(now - 86_400_000),
      activeUntil: new Date(now - 60_000),
      tripSummarySentAt: new Date(now - 86_400_000),
      createdAt: new Date(now - 2 * 86_400_000),
      updatedAt: new Date(now - 2 * 86_400_000),
      confirmedAt: new Date(now - 2 * 86_400_000),
    });
    const { manageUrl } = await test.app.get(EmailSubscriptionsService).linksFor({ id, tokenVersion: 1 });
    const path = manageUrl.slice(PUBLIC_URL.length);

    const saved = await test.http
      .put(path)
      .send({ areas: ['IS'], language: 'ru' })
      .expect(200);
    expect(saved.body).toMatchObject({ language: 'ru', status: 'confirmed' });

    const refused = await test.http
      .put(path)
      .send({ areas: ['IS'], activeUntil: new Date(now - 1000).toISOString() })
      .expect(400);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(refused.body)).toMatch(/already past/);
    const [row] = await test.db
      .select()
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.id, id));
    expect(row).toMatchObject({ language: 'ru', activeUntil: new Date(now - 60_000) });
  });
});
