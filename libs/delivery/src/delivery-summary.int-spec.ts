import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { OutboxRepository } from '@tocsin/declarations';
import {
  ChannelName,
  DeclarationDeliveryCounts,
  DeliveriesRepository,
  DeliveryStatus,
} from './deliveries.repository';
import { deliverySummaryOf, RATE_WINDOW_MS } from './delivery-log.service';
import { seedDeclaredEvent } from './testing/declared-event';
import { levelChangedEvent } from './testing/level-changed-event';

const { declarations, deliveries, emailSubscriptions, smsSubscriptions, webhookEndpoints } = tables;

const at = new Date('2022-01-07T09:00:00Z');
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
const NOW = later(120);
const secondsBeforeNow = (s: number) => new Date(NOW.getTime() - s * 1000);
const RECENT_SINCE = new Date(NOW.getTime() - RATE_WINDOW_MS);
const START = levelChangedEvent('evt_start', ['KZ-75']);
const ANY = { schemeId: null, minRank: null, events: null };
const NONE = { total: 0, pending: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, held: 0 };

describe.each(DATABASE_DRIVERS)('the deliveries of a declaration, counted on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeliveriesRepository;
  let outbox: OutboxRepository;

  const declaration = (id: string, effectiveAt: Date) =>
    database.db.insert(declarations).values({
      id,
      schemeId: 'kz-terror',
      levelCode: 'red',
      headline: 'Critical terrorism threat level',
      summary: 'Repeat attacks are possible.',
      measures: [],
      authority: 'Anti-Terrorist Centre',
      effectiveAt,
      createdAt: at,
      createdBy: 'key_1',
      createdByName: 'duty desk',
    });
  const event = (eventId: string, declarationId: string, dueAt: Date, areas: string[] | null) =>
    database.db.transaction((tx) =>
      outbox.append(tx, [
        {
          eventId,
          declarationId,
          cause: 'declared',
          dueAt,
          payload: areas ? levelChangedEvent(eventId, areas) : null,
        },
      ]),
    );
  let n = 0;
  /** A delivery of `eventId` to `subscriber` on `channel`, created a minute after `at` (or so). */
  const delivery = (
    eventId: string,
    channel: ChannelName,
    subscriber: string,
    status: DeliveryStatus,
    settledAt = later(1),
  ) =>
    database.db.insert(deliveries).values({
      id: `dlv_${String(++n).padStart(3, '0')}`,
      eventId,
      channel,
      webhookEndpointId: channel === 'webhook' ? subscriber : null,
      emailSubscriptionId: channel === 'email' ? subscriber : null,
      smsSubscriptionId: channel === 'sms' ? subscriber : null,
      status,
      attempts: status === 'pending' ? 0 : 1,
      createdAt: new Date(at.getTime() + n * 1000),
      updatedAt: status === 'pending' ? at : settledAt,
      deliveredAt: status === 'delivered' ? settledAt : null,
    });

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    outbox = await seedDeclaredEvent(database.db, START, at);
    repository = new DeliveriesRepository(database.db, outbox);
    for (const [id, owner] of [
      ['wh_a', 'key_integrator'],
      ['wh_b', 'key_integrator'],
      ['wh_c', 'key_other'],
      ['wh_d', 'key_other'],
    ])
      await database.db.insert(webhookEndpoints).values({
        id,
        ownerKeyId: owner,
        url: `https://${id}.example.org/hook`,
        areas: ['KZ'],
        ...ANY,
        enabled: true,
        secret: `enc:v1:sealed-${id}`,
        createdAt: at,
        updatedAt: at,
      });
    for (const id of ['em_a', 'em_b'])
      await database.db.insert(emailSubscriptions).values({
        id,
        email: `${id}@example.org`,
        areas: ['KZ'],
        ...ANY,
        status: 'confirmed',
        tokenVersion: 1,
        createdAt: at,
        updatedAt: at,
      });
    for (const [id, phone] of [
      ['sm_a', '+77010000001'],
      ['sm_b', '+77010000002'],
    ])
      await database.db.insert(smsSubscriptions).values({
        id,
        phone,
        areas: ['KZ'],
        ...ANY,
        status: 'confirmed',
        language: 'en',
        createdAt: at,
        updatedAt: at,
      });

    // dcl_1: its start (fanned out) and its expiry (due, still fanning out), in every status and channel.
    await outbox.markFannedOut('evt_start', later(1));
    await event('evt_expiry', 'dcl_1', later(60), ['KZ-75']);
    await delivery('evt_start', 'webhook', 'wh_a', 'delivered', secondsBeforeNow(5));
    await delivery('evt_start', 'webhook', 'wh_b', 'failed');
    await delivery('evt_start', 'webhook', 'wh_c', 'pending');
    await delivery('evt_start', 'webhook', 'wh_d', 'skipped');
    await delivery('evt_start', 'email', 'em_a', 'delivered');
    await delivery('evt_start', 'email', 'em_b', 'pending');
    await delivery('evt_start', 'sms', 'sm_a', 'sent');
    await delivery('evt_start', 'sms', 'sm_b', 'delivered', later(2));
    await delivery('evt_expiry', 'webhook', 'wh_a', 'pending');
    await delivery('evt_expiry', 'email', 'em_a', 'failed', secondsBeforeNow(3));
    await delivery('evt_expiry', 'sms', 'sm_a', 'skipped');
    // Held for em_b's digest: counted apart, neither pending nor settled.
    await delivery('evt_expiry', 'email', 'em_b', 'held');

    // dcl_2 started and fanned out to wh_a: none of its deliveries are dcl_1's.
    await declaration('dcl_2', at);
    await event('evt_other', 'dcl_2', at, ['KZ-71']);
    await outbox.markFannedOut('evt_other', later(1));
    await delivery('evt_other', 'webhook', 'wh_a', 'delivered', secondsBeforeNow(1));
    // dcl_3 starts after NOW.
    await declaration('dcl_3', later(500));
    await event('evt_scheduled', 'dcl_3', later(500), null);
    // dcl_4's events announce nothing: one superseded before it started, one rendered with no changes.
    await declaration('dcl_4', at);
    await event('evt_superseded', 'dcl_4', at, null);
    await outbox.skip(database.db, 'evt_superseded', 'superseded');
    await event('evt_unchanged', 'dcl_4', later(1), []);
  });
  afterAll(() => database?.close());

  it('counts every due event’s deliveries by channel and status, with the first and last times', async () => {
    const counts = await repository.countsOfDeclaration('dcl_1', NOW, RECENT_SINCE);
    expect(counts).toEqual<DeclarationDeliveryCounts>({
      events: 2,
      fannedOut: false,
      byChannel: {
        webhook: { total: 5, pending: 2, sent: 0, delivered: 1, failed: 1, skipped: 1, held: 0 },
        email: { total: 4, pending: 1, sent: 0, delivered: 1, failed: 1, skipped: 0, held: 1 },
        sms: { total: 3, pending: 0, sent: 1, delivered: 1, failed: 0, skipped: 1, held: 0 },
      },
      startedAt: new Date(at.getTime() + 1000),
      lastDeliveredAt: secondsBeforeNow(5),
      lastSettledAt: secondsBeforeNow(3),
      recent: 2,
    });
  });

  it('before its expiry is due, counts its start alone, which has fanned out', async () => {
    const counts = await repository.countsOfDeclaration('dcl_1', later(30), RECENT_SINCE);
    expect(counts).toMatchObject({ events: 1, fannedOut: true });
    expect(counts?.byChannel.webhook).toEqual({
      total: 4,
      pending: 1,
      sent: 0,
      delivered: 1,
      failed: 1,
      skipped: 1,
      held: 0,
    });
  });

  it('for an integrator, counts the deliveries to its own endpoints only', async () => {
    const counts = await repository.countsOfDeclaration('dcl_1', NOW, RECENT_SINCE, 'key_integrator');
    expect(counts?.byChannel).toEqual({
      webhook: { total: 3, pending: 1, sent: 0, delivered: 1, failed: 1, skipped: 0, held: 0 },
      email: NONE,
      sms: NONE,
    });
    expect(counts?.recent).toBe(1);
  });

  it('answers zeros and not fanned out for a declaration that has not started', async () => {
    expect(await repository.countsOfDeclaration('dcl_3', NOW, RECENT_SINCE)).toEqual({
      events: 0,
      fannedOut: false,
      byChannel: { webhook: NONE, email: NONE, sms: NONE },
      startedAt: null,
      lastDeliveredAt: null,
      lastSettledAt: null,
      recent: 0,
    });
  });

  it('takes events that announce nothing (skipped, or no change) as fanned out', async () => {
    expect(await repository.countsOfDeclaration('dcl_4', NOW, RECENT_SINCE)).toMatchObject({
      events: 2,
      fannedOut: true,
      byChannel: { webhook: NONE, email: NONE, sms: NONE },
    });
  });

  it('answers null for a declaration that does not exist', async () => {
    expect(await repository.countsOfDeclaration('dcl_missing', NOW, RECENT_SINCE)).toBeNull();
  });
});

describe('a delivery summary', () => {
  const counts = (changes: Partial<DeclarationDeliveryCounts>): DeclarationDeliveryCounts => ({
    events: 1,
    fannedOut: true,
    byChannel: {
      webhook: { total: 90, pending: 40, sent: 0, delivered: 45, failed: 5, skipped: 0, held: 0 },
      email: { total: 10, pending: 10, sent: 0, delivered: 0, failed: 0, skipped: 0, held: 0 },
      sms: { ...NONE },
    },
    startedAt: secondsBeforeNow(60),
    lastDeliveredAt: secondsBeforeNow(1),
    lastSettledAt: secondsBeforeNow(1),
    recent: 50,
    ...changes,
  });

  it('adds up the channels and takes the rate over the last ten seconds', () => {
    expect(deliverySummaryOf('dcl_1', counts({}), NOW)).toMatchObject({
      declarationId: 'dcl_1',
      total: 100,
      pending: 50,
      delivered: 45,
      failed: 5,
      ratePerSecond: 5,
      etaSeconds: 10,
      finishedAt: null,
    });
  });

  it('takes the rate since the start when that is shorter, but over a second at least', () => {
    expect(deliverySummaryOf('dcl_1', counts({ startedAt: secondsBeforeNow(4) }), NOW).ratePerSecond).toBe(
      12.5,
    );
    expect(deliverySummaryOf('dcl_1', counts({ startedAt: NOW }), NOW).ratePerSecond).toBe(50);
  });

  it('has no time left to tell while nothing settles, and none left once done', () => {
    expect(deliverySummaryOf('dcl_1', counts({ recent: 0 }), NOW)).toMatchObject({
      ratePerSecond: 0,
      etaSeconds: null,
    });
    const none = { ...NONE, total: 5, delivered: 5 };
    const done = deliverySummaryOf(
      'dcl_1',
      counts({ byChannel: { webhook: none, email: NONE, sms: NONE }, recent: 0 }),
      NOW,
    );
    expect(done).toMatchObject({ pending: 0, etaSeconds: 0, finishedAt: secondsBeforeNow(1) });
  });

  it('counts emails held for digests apart, and is done with them still held', () => {
    const email = { ...NONE, total: 10, delivered: 4, held: 6 };
    const summary = deliverySummaryOf(
      'dcl_1',
      counts({ byChannel: { webhook: NONE, email, sms: NONE }, recent: 0 }),
      NOW,
    );
    expect(summary).toMatchObject({ total: 10, pending: 0, held: 6, etaSeconds: 0 });
    expect(summary.finishedAt).toEqual(secondsBeforeNow(1));
  });

  it('is not done while the fan-out still adds deliveries, though none is pending yet', () => {
    const none = { ...NONE, total: 5, delivered: 5 };
    const summary = deliverySummaryOf(
      'dcl_1',
      counts({ fannedOut: false, byChannel: { webhook: none, email: NONE, sms: NONE }, recent: 0 }),
      NOW,
    );
    expect(summary).toMatchObject({ pending: 0, etaSeconds: null, finishedAt: null });
  });
});
