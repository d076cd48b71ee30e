// Bounces (issue 18, DESIGN.md §5.6), over real SMTP: three permanent refusals (550) in a row suspend an email
// subscription, a delivered email in between starts the count again, a suspended one gets nothing, and an
// admin resumes it; the audit log has both acts.
import { tables } from '@tocsin/database';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { eventually, stillAfter } from './support/eventually';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const DEAD = 'dead@ngo.example';
const FLAKY = 'flaky@ngo.example';

describe('email bounces', () => {
  let smtp: SmtpSink;
  let test: TestApp;
  const ids = new Map<string, string>();
  /** Levels alternate so that every declaration is a change, and so an alert to each subscriber. */
  let declared = 0;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url });
    const now = new Date();
    for (const email of [DEAD, FLAKY]) {
      const id = `sub_${uuidv7()}`;
      ids.set(email, id);
      await test.db.insert(tables.emailSubscriptions).values({
        id,
        email,
        areas: ['IS'],
        status: 'confirmed',
        createdAt: now,
        updatedAt: now,
        confirmedAt: now,
      });
    }
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
  });

  const deliveriesTo = (email: string) =>
    test.db
      .select()
      .from(tables.deliveries)
      .where(eq(tables.deliveries.emailSubscriptionId, ids.get(email)!))
      .orderBy(tables.deliveries.createdAt);
  /** Declares a change in Iceland, and waits until the deliveries to `to` have all settled, `count` in all. */
  async function declare(settled: { to: string; count: number }[]) {
    declared++;
    await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'travel-advisory',
        level: declared % 2 ? '2' : '3',
        areas: ['IS'],
        headline: `Iceland advisory, change ${declared}`,
        summary: 'Volcanic activity on the Reykjanes peninsula.',
        authority: 'Foreign Office',
      })
      .expect(201);
    for (const { to, count } of settled)
      await eventually(
        () => deliveriesTo(to),
        (rows) => rows.length === count && rows.every((r) => r.status !== 'pending'),
        { timeoutMs: 15_000, what: `${count} settled deliveries to ${to}` },
      );
  }
  const statusOf = async (email: string) =>
    (
      await test.http
        .get(`/v1/email-subscriptions/${ids.get(email)}`)
        .set(test.as())
        .expect(200)
    ).body;
  const suspendedList = async () =>
    (await test.http.get('/v1/email-subscriptions?status=suspended').set(test.as()).expect(200)).body.items;

  it('suspends after three 550s in a row; a 250 in between starts the count again', async () => {
    smtp.refuse(DEAD, [550, 550, 550]);
    // flaky: 550, 550, then delivered, then 550 again: never three in a row.
    smtp.refuse(FLAKY, [550, 550]);
    await declare([
      { to: DEAD, count: 1 },
      { to: FLAKY, count: 1 },
    ]);
    await declare([
      { to: DEAD, count: 2 },
      { to: FLAKY, count: 2 },
    ]);
    // Two in a row are not three.
    expect((await statusOf(DEAD)).status).toBe('confirmed');
    await declare([
      { to: DEAD, count: 3 },
      { to: FLAKY, count: 3 },
    ]);
    expect(smtp.to(FLAKY)).toHaveLength(1);

    const suspended = await eventually(
      () => statusOf(DEAD),
      (body) => body.status === 'suspended',
      { what: `${DEAD} to be suspended` },
    );
    expect(suspended).toMatchObject({
      status: 'suspended',
      suspendedAt: expect.any(String),
      suspendedReason: expect.stringContaining('Three permanent SMTP failures in a row'),
    });
    expect(new Date(suspended.suspendedAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect((await deliveriesTo(DEAD)).map((d) => [d.status, d.lastStatusCode])).toEqual([
      ['failed', 550],
      ['failed', 550],
      ['failed', 550],
    ]);
    // The admin listing filters by the new status and says why and since when.
    expect(await suspendedList()).toEqual([
      expect.objectContaining({
        id: ids.get(DEAD),
        email: DEAD,
        status: 'suspended',
        suspendedAt: suspended.suspendedAt,
        suspendedReason: suspended.suspendedReason,
      }),
    ]);
    expect(
      (
        await test.http.get('/v1/email-subscriptions?status=confirmed').set(test.as()).expect(200)
      ).body.items.map((s: { email: string }) => s.email),
    ).toEqual([FLAKY]);

    // Flaky bounces once more: one in a row since the 250.
    smtp.refuse(FLAKY, [550]);
    await declare([{ to: FLAKY, count: 4 }]);
    expect((await statusOf(FLAKY)).status).toBe('confirmed');
    expect((await deliveriesTo(FLAKY)).map((d) => d.status)).toEqual([
      'failed',
      'failed',
      'delivered',
      'failed',
    ]);
    // The suspended address got nothing of the fourth alert: no delivery, no message (its refusals are used
    // up, so a message sent to it would have been taken).
    expect(await deliveriesTo(DEAD)).toHaveLength(3);
    await stillAfter(
      500,
      () => smtp.to(DEAD),
      (messages) => messages.length === 0,
    );
  });

  it('lets an admin resume a suspended subscription, audited, and the next alert reaches it', async () => {
    const id = ids.get(DEAD)!;
    await test.http.post(`/v1/email-subscriptions/${id}/resume`).expect(401);
    const resumed = await test.http.post(`/v1/email-subscriptions/${id}/resume`).set(test.as()).expect(200);
    expect(resumed.body).toMatchObject({ id, status: 'confirmed', suspendedAt: null, suspendedReason: null });
    expect(await suspendedList()).toEqual([]);

    // Only a suspended one can be resumed.
    const again = await test.http.post(`/v1/email-subscriptions/${id}/resume`).set(test.as()).expect(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body.detail).toContain('is confirmed, not suspended');
    const flaky = await test.http
      .post(`/v1/email-subscriptions/${ids.get(FLAKY)}/resume`)
      .set(test.as())
      .expect(409);
    expect(flaky.headers['content-type']).toMatch(/^application\/problem\+json/);
    await test.http.post('/v1/email-subscriptions/sub_nobody/resume').set(test.as()).expect(404);

    // The resume starts the count afresh: one more 550 straight after it is one in a row, not four.
    smtp.refuse(DEAD, [550]);
    await declare([
      { to: DEAD, count: 4 },
      { to: FLAKY, count: 5 },
    ]);
    expect((await statusOf(DEAD)).status).toBe('confirmed');

    await declare([
      { to: DEAD, count: 5 },
      { to: FLAKY, count: 6 },
    ]);
    const [alert] = await smtp.waitFor(DEAD, 1, 10_000);
    expect(alert.subject).toContain('Iceland');
    expect((await deliveriesTo(DEAD)).map((d) => d.status)).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
      'delivered',
    ]);

    // Both acts are in the audit log: the suspension as Tocsin's own, with the server's answer; the resume as
    // the admin's.
    const audit = async (action: string) =>
      (await test.http.get(`/v1/audit?action=${action}`).set(test.as()).expect(200)).body.items;
    expect(await audit('subscriber.suspended')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ keyId: null, name: 'system', role: 'system' }),
        action: 'subscriber.suspended',
        target: { type: 'email_subscription', id },
        details: {
          status: 'suspended',
          reason: expect.stringMatching(/^3 permanent SMTP failures in a row; the last: .*550/),
        },
      }),
    ]);
    expect(await audit('subscriber.resumed')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ role: 'admin' }),
        action: 'subscriber.resumed',
        target: { type: 'email_subscription', id },
        details: { status: 'confirmed' },
      }),
    ]);
  });

  it('sends a suspended address that signs up again a confirmation, and confirming it resumes the alerts', async () => {
    const email = 'back@ngo.example';
    const now = new Date();
    await test.db.insert(tables.emailSubscriptions).values({
      id: `sub_${uuidv7()}`,
      email,
      areas: ['IS'],
      status: 'suspended',
      createdAt: now,
      updatedAt: now,
      confirmedAt: now,
    });
    await test.http
      .post('/v1/email-subscriptions')
      .send({ email, areas: ['IS'] })
      .expect(202);
    const [confirmation] = await smtp.waitFor(email);
    const token = new URL(
      linkIn(confirmation, `${test.config.publicUrl}/v1/email-subscriptions/confirm?token=`),
    ).searchParams.get('token');
    await test.http.post('/v1/email-subscriptions/confirm').send({ token }).expect(200);
    const [row] = await test.db
      .select()
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.email, email));
    expect(row.status).toBe('confirmed');
  });
});
