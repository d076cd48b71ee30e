// Digests in the database, on both drivers: the fan-out's insert holds what is below a digest subscriber's
// threshold (held rows are no first attempt, and the reference rule newDeliveryStatus says which), and the
// digests' repository finds due subscriptions, reads what they hold and settles a digest in one transaction.
import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { EventChange, OutboxRepository } from '@tocsin/declarations';
import { filterMatches } from '@tocsin/subscribers';
import { eq, inArray, sql } from 'drizzle-orm';
import { DeliveriesRepository } from './deliveries.repository';
import { newDeliveryStatus } from './digest-hold';
import { DigestsRepository } from './digests.repository';
import { seedDeclaredEvent } from './testing/declared-event';
import { levelChangedEvent } from './testing/level-changed-event';

const { deliveries, emailSubscriptions } = tables;
const at = new Date('2022-01-07T09:00:00Z');
const EVENT = levelChangedEvent('evt_digest', ['KZ-75']);
const DUE = new Date('2022-01-08T03:00:00Z');

/**
 * Email subscribers: areas, delivery, threshold. One of them is subscribed to the Almaty region (KZ-19) alone,
 * so that a change elsewhere reaching its threshold must not send its event at once: the threshold reads only
 * the changes its filter matches.
 */
const SUBSCRIBERS: Record<
  string,
  { areas: string[]; delivery: 'immediate' | 'daily' | 'weekly'; immediateMinRank: number | null }
> = {
  sub_immediate: { areas: ['KZ'], delivery: 'immediate', immediateMinRank: null },
  sub_daily_3: { areas: ['KZ'], delivery: 'daily', immediateMinRank: 3 },
  sub_daily_none: { areas: ['KZ'], delivery: 'daily', immediateMinRank: null },
  sub_daily_region_3: { areas: ['KZ-19'], delivery: 'daily', immediateMinRank: 3 },
  sub_weekly_2: { areas: ['KZ'], delivery: 'weekly', immediateMinRank: 2 },
};
const filterOf = (areas: string[]) => ({ areas, schemeId: null, minRank: null, events: null });

const change = (areaCode: string, previousRank: number | null, currentRank: number | null): EventChange => ({
  areaCode,
  schemeId: 'kz-terror',
  previousRank,
  currentRank,
  direction: (currentRank ?? 0) > (previousRank ?? 0) ? 'escalated' : 'deescalated',
});

describe.each(DATABASE_DRIVERS)('digests on %s', (driver) => {
  let database: TestDatabase;
  let fanOut: DeliveriesRepository;
  let digests: DigestsRepository;
  let outboxes: OutboxRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    outboxes = await seedDeclaredEvent(database.db, EVENT, at);
    fanOut = new DeliveriesRepository(database.db, outboxes);
    digests = new DigestsRepository(database.db);
    for (const [id, settings] of Object.entries(SUBSCRIBERS))
      await database.db.insert(emailSubscriptions).values({
        id,
        email: `${id}@example.org`,
        ...filterOf(settings.areas),
        status: 'confirmed',
        ...settings,
        nextDigestAt: settings.delivery === 'immediate' ? null : DUE,
        createdAt: at,
        updatedAt: at,
      });
  });
  afterAll(() => database?.close());
  // Each test starts from no deliveries and every digest due at DUE.
  beforeEach(async () => {
    await database.db.delete(deliveries);
    for (const [id, { delivery }] of Object.entries(SUBSCRIBERS))
      await database.db
        .update(emailSubscriptions)
        .set({ nextDigestAt: delivery === 'immediate' ? null : DUE })
        .where(eq(emailSubscriptions.id, id));
  });

  /** A digest due at DUE as its job read a confirmed subscription. */
  const read = (subscriptionId: string, status = 'confirmed') => ({ subscriptionId, status, dueAt: DUE });

  const statuses = async () =>
    Object.fromEntries(
      (await database.db.select().from(deliveries)).map((d) => [d.emailSubscriptionId, d.status]),
    );

  it.each<[string, EventChange[]]>([
    ['a rise below every threshold', [change('KZ-75', null, 1)]],
    ['a rise to rank 2', [change('KZ-75', 1, 2)]],
    ['a rise to rank 3', [change('KZ-75', 2, 3)]],
    ['a drop from rank 3', [change('KZ-75', 3, 1)]],
    ['two areas, one of them reaching rank 3', [change('KZ-19', null, 1), change('KZ-75', 2, 3)]],
    ['two areas, the other one reaching rank 3', [change('KZ-19', 2, 3), change('KZ-75', null, 1)]],
  ])('holds %s for exactly the subscribers the rule says, and answers only the rest', async (_, changes) => {
    const page = await fanOut.createPage('email', EVENT.data.eventId, changes, '', 1000);
    // A subscriber none of whose areas changed gets no delivery; the rest as the rule says of what they match.
    const want = Object.fromEntries(
      Object.entries(SUBSCRIBERS).flatMap(([id, settings]) => {
        const matching = changes.filter((c) => filterMatches(filterOf(settings.areas), c));
        return matching.length ? [[id, newDeliveryStatus(settings, matching)]] : [];
      }),
    );
    if (changes.some((c) => c.areaCode === 'KZ-19')) expect(want).toHaveProperty('sub_daily_region_3');
    expect(await statuses()).toEqual(want);
    const pendingIds = (await database.db.select().from(deliveries))
      .filter((d) => d.status === 'pending')
      .map((d) => d.id)
      .sort();
    expect([...page!.firstAttempts].sort()).toEqual(pendingIds);
  });

  it('leaves held rows out of the first attempts of a run again, and out of the pending to send', async () => {
    const changes = [change('KZ-75', null, 1)];
    await fanOut.createPage('email', EVENT.data.eventId, changes, '', 1000);
    const again = await fanOut.createPage('email', EVENT.data.eventId, changes, '', 1000);
    const held = (await database.db.select().from(deliveries)).filter((d) => d.status === 'held');
    expect(held).toHaveLength(3);
    expect(again!.firstAttempts).not.toEqual(expect.arrayContaining([held[0].id]));
    expect(await fanOut.toSend(held.map((d) => d.id))).toEqual([]);
    expect(await fanOut.lost(new Date('2100-01-01'), 100, true)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ id: held[0].id })]),
    );
  });

  it('finds the subscriptions due by now, the longest due first', async () => {
    expect(await digests.due(new Date(DUE.getTime() - 1), 10)).toEqual([]);
    const due = await digests.due(DUE, 10);
    expect(due.map((d) => d.subscriptionId).sort()).toEqual([
      'sub_daily_3',
      'sub_daily_none',
      'sub_daily_region_3',
      'sub_weekly_2',
    ]);
    expect(due.every((d) => d.dueAt.getTime() === DUE.getTime())).toBe(true);
  });

  it('pages the due subscriptions by due instant and id, the longest due first', async () => {
    const earlier = new Date(DUE.getTime() - 3_600_000);
    await database.db
      .update(emailSubscriptions)
      .set({ nextDigestAt: earlier })
      .where(eq(emailSubscriptions.id, 'sub_weekly_2'));
    const first = await digests.due(DUE, 2);
    expect(first).toEqual([
      { subscriptionId: 'sub_weekly_2', dueAt: earlier },
      { subscriptionId: 'sub_daily_3', dueAt: DUE },
    ]);
    const second = await digests.due(DUE, 2, first[1]);
    expect(second).toEqual([
      { subscriptionId: 'sub_daily_none', dueAt: DUE },
      { subscriptionId: 'sub_daily_region_3', dueAt: DUE },
    ]);
    expect(await digests.due(DUE, 2, second[1])).toEqual([]);
  });

  it('reads what a subscription holds with its events, and settles a digest once', async () => {
    await fanOut.createPage('email', EVENT.data.eventId, [change('KZ-75', null, 1)], '', 1000);
    const held = await digests.held('sub_daily_3');
    expect(held).toEqual([
      {
        id: expect.any(String),
        eventId: 'evt_digest',
        payload: expect.objectContaining({ type: 'threat_level.changed' }),
      },
    ]);
    expect(held[0].payload.data.eventId).toBe('evt_digest');

    const sentAt = new Date('2022-01-08T03:00:05Z');
    const next = new Date('2022-01-09T03:00:00Z');
    const ids = held.map((d) => d.id);
    expect(await digests.settle(read('sub_daily_3'), ids, { status: 'delivered', at: sentAt }, next)).toBe(
      true,
    );
    const [row] = await database.db.select().from(deliveries).where(eq(deliveries.id, ids[0]));
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: sentAt, lastStatusCode: 250 });
    expect((await digests.subscription('sub_daily_3'))?.nextDigestAt).toEqual(next);
    expect(await digests.held('sub_daily_3')).toEqual([]);

    // A second run of the same digest (a worker that died after the commit) finds it settled.
    expect(await digests.settle(read('sub_daily_3'), ids, { status: 'delivered', at: sentAt }, next)).toBe(
      false,
    );
    expect((await digests.subscription('sub_daily_3'))?.nextDigestAt).toEqual(next);
  });

  it('skips what an unsubscribed subscription held, with why, and schedules no more', async () => {
    await fanOut.createPage('email', EVENT.data.eventId, [change('KZ-75', null, 1)], '', 1000);
    const ids = (await digests.held('sub_daily_none')).map((d) => d.id);
    const reason = 'not sent: the subscription is unsubscribed';
    expect(
      await digests.settle(read('sub_daily_none'), ids, { status: 'skipped', at: DUE, reason }, null),
    ).toBe(true);
    const [row] = await database.db.select().from(deliveries).where(eq(deliveries.id, ids[0]));
    expect(row).toMatchObject({ status: 'skipped', attempts: 0, lastError: reason, deliveredAt: null });
    expect((await digests.subscription('sub_daily_none'))?.nextDigestAt).toBeNull();
    expect((await digests.due(DUE, 10)).map((d) => d.subscriptionId)).not.toContain('sub_daily_none');
  });

  it('still records the deliveries of a digest whose settings changed while it was sent', async () => {
    await fanOut.createPage('email', EVENT.data.eventId, [change('KZ-75', null, 1)], '', 1000);
    const ids = (await digests.held('sub_weekly_2')).map((d) => d.id);
    const moved = new Date('2022-01-10T05:00:00Z');
    await database.db
      .update(emailSubscriptions)
      .set({ nextDigestAt: moved })
      .where(eq(emailSubscriptions.id, 'sub_weekly_2'));
    expect(await digests.settle(read('sub_weekly_2'), ids, { status: 'delivered', at: DUE }, null)).toBe(
      false,
    );
    expect(await digests.held('sub_weekly_2')).toEqual([]);
    expect((await digests.subscription('sub_weekly_2'))?.nextDigestAt).toEqual(moved);
  });

  it('leaves the schedule of a sign-up confirmed while its digest was being settled', async () => {
    // The job read the row pending and due at DUE; the confirmation kept DUE as its next digest.
    await database.db
      .update(emailSubscriptions)
      .set({ status: 'pending' })
      .where(eq(emailSubscriptions.id, 'sub_daily_none'));
    const job = read('sub_daily_none', 'pending');
    await database.db
      .update(emailSubscriptions)
      .set({ status: 'confirmed' })
      .where(eq(emailSubscriptions.id, 'sub_daily_none'));
    const reason = 'not sent: the subscription is pending';
    expect(await digests.settle(job, [], { status: 'skipped', at: DUE, reason }, null)).toBe(false);
    expect((await digests.subscription('sub_daily_none'))?.nextDigestAt).toEqual(DUE);
    expect((await digests.due(DUE, 10)).map((d) => d.subscriptionId)).toContain('sub_daily_none');
  });

  it('fails what a digest held when the mail server refuses it for good, keeping its answer', async () => {
    await fanOut.createPage('email', EVENT.data.eventId, [change('KZ-75', null, 1)], '', 1000);
    const ids = (await digests.held('sub_daily_3')).map((d) => d.id);
    const next = new Date('2022-01-09T03:00:00Z');
    const outcome = { status: 'failed' as const, at: DUE, reason: '550 no such mailbox', statusCode: 550 };
    expect(await digests.settle(read('sub_daily_3'), ids, outcome, next)).toBe(true);
    const [row] = await database.db.select().from(deliveries).where(eq(deliveries.id, ids[0]));
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatusCode: 550,
      lastError: '550 no such mailbox',
      deliveredAt: null,
      // One email for all the rows it held: the bounce rule counts them once.
      digestDueAt: DUE,
    });
    expect((await digests.subscription('sub_daily_3'))?.nextDigestAt).toEqual(next);
  });

  it('makes a digest due for a subscription holding a recent delivery with none due, and only for it', async () => {
    await fanOut.createPage('email', EVENT.data.eventId, [change('KZ-75', null, 1)], '', 1000);
    // A page in flight as two left the digest inserted their held rows after their last digests read.
    await database.db
      .update(emailSubscriptions)
      .set({ nextDigestAt: null })
      .where(inArray(emailSubscriptions.id, ['sub_daily_3', 'sub_daily_none']));
    // One of them an hour and more ago: not this backstop's (nothing strands a row that long).
    await database.db.execute(sql`update deliveries set created_at = now() - interval '61 minutes'
      where email_subscription_id = 'sub_daily_none'`);
    const now = new Date('2022-01-08T04:00:00Z');
    expect(await digests.dueStrandedHeld(now)).toEqual(['sub_daily_3']);
    expect((await digests.subscription('sub_daily_3'))?.nextDigestAt).toEqual(now);
    expect((await digests.subscription('sub_daily_none'))?.nextDigestAt).toBeNull();
    // sub_weekly_2 holds one too, with its digest due: left as it is. Nothing left to do the second time.
    expect((await digests.subscription('sub_weekly_2'))?.nextDigestAt).toEqual(DUE);
    expect(await digests.dueStrandedHeld(now)).toEqual([]);
  });

  it('answers null for an erased subscription', async () => {
    expect(await digests.subscription('sub_gone')).toBeNull();
  });
});
