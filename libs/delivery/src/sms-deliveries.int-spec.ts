import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { EventChange } from '@tocsin/declarations';
import { eq } from 'drizzle-orm';
import { DeliveriesRepository } from './deliveries.repository';
import { SmsPartsRepository } from './sms-parts.repository';
import { seedDeclaredEvent } from './testing/declared-event';
import { levelChangedEvent } from './testing/level-changed-event';

const { deliveries, smsParts, smsSubscriptions } = tables;

const at = new Date('2022-01-07T09:00:00Z');
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
const EVENT = levelChangedEvent('evt_almaty', ['KZ-75']);
const CHANGES: EventChange[] = [
  { areaCode: 'KZ-75', schemeId: 'kz-terror', previousRank: null, currentRank: 3, direction: 'escalated' },
];

describe.each(DATABASE_DRIVERS)('SMS deliveries on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeliveriesRepository;
  let parts: SmsPartsRepository;

  const subscriber = (id: string, phone: string, areas: string[], status = 'confirmed', language = 'en') =>
    database.db.insert(smsSubscriptions).values({
      id,
      phone,
      areas,
      schemeId: null,
      minRank: null,
      events: null,
      status,
      language,
      createdAt: at,
      updatedAt: at,
    });
  const delivery = async (subscriberId: string) => {
    const [row] = await database.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.smsSubscriptionId, subscriberId));
    return row;
  };
  /** The delivery to `subscriberId` recorded sent, as the delivery service records it, with `messageIds` as its parts. */
  const sent = async (subscriberId: string, messageIds: string[]) => {
    const { id } = await delivery(subscriberId);
    await repository.record([
      {
        deliveryId: id,
        attempt: 1,
        at: later(1),
        ok: true,
        statusCode: null,
        error: null,
        latencyMs: 4,
        responseExcerpt: `${messageIds.length} gsm7 part(s)`,
        status: 'sent',
        nextAttemptAt: null,
        smsMessageIds: messageIds,
      },
    ]);
    return id;
  };

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new DeliveriesRepository(database.db, await seedDeclaredEvent(database.db, EVENT, at));
    parts = new SmsPartsRepository(database.db);
    await subscriber('sms_kz', '+77010000001', ['KZ'], 'confirmed', 'ru');
    await subscriber('sms_almaty', '+77010000002', ['KZ-75']);
    await subscriber('sms_pending', '+77010000003', ['KZ'], 'pending');
    await subscriber('sms_paris', '+33600000001', ['FR']);
    const page = await repository.createPage('sms', EVENT.data.eventId, CHANGES, '', 100);
    expect(page?.firstAttempts).toHaveLength(2);
  });
  afterAll(() => database?.close());

  it('fans out to confirmed SMS subscribers whose areas cover the change, and reads what sending needs', async () => {
    const rows = await database.db.select().from(deliveries).where(eq(deliveries.channel, 'sms'));
    expect(rows.map((r) => r.smsSubscriptionId).sort()).toEqual(['sms_almaty', 'sms_kz']);
    const [row] = await repository.toSend([(await delivery('sms_kz')).id], 1);
    expect(row).toMatchObject({
      channel: 'sms',
      eventId: EVENT.data.eventId,
      attempts: 0,
      payload: EVENT,
      subscription: {
        id: 'sms_kz',
        phone: '+77010000001',
        status: 'confirmed',
        filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
        language: 'ru',
      },
    });
  });

  it('holds a receipt that comes before its delivery is recorded as sent', async () => {
    // The parts are written with the outcome: before it, the SMSC's id is nobody's.
    expect(await parts.applyReceipt('nobody', true, 'DELIVRD', later(2))).toEqual({ kind: 'early' });
    expect((await delivery('sms_almaty')).status).toBe('pending');
  });

  it('keeps a sent SMS sent, not delivered, and delivers it once every part’s receipt says so', async () => {
    const id = await sent('sms_kz', ['m-1', 'm-2']);
    expect(await delivery('sms_kz')).toMatchObject({ status: 'sent', deliveredAt: null, attempts: 1 });
    expect((await repository.findById(id))?.attemptsLog).toEqual([
      expect.objectContaining({ attempt: 1, ok: true, responseExcerpt: '2 gsm7 part(s)' }),
    ]);
    expect(await parts.applyReceipt('m-2', true, 'DELIVRD', later(2))).toEqual({
      kind: 'waiting',
      deliveryId: id,
    });
    expect((await delivery('sms_kz')).status).toBe('sent');
    expect(await parts.applyReceipt('m-1', true, 'DELIVRD', later(3))).toEqual({
      kind: 'settled',
      deliveryId: id,
    });
    expect(await delivery('sms_kz')).toMatchObject({ status: 'delivered', deliveredAt: later(3) });
    const stored = await database.db.select().from(smsParts).where(eq(smsParts.deliveryId, id));
    expect(stored.map((p) => [p.messageId, p.part, p.status]).sort()).toEqual([
      ['m-1', 1, 'delivered'],
      ['m-2', 2, 'delivered'],
    ]);
    // The same receipt again changes nothing.
    expect(await parts.applyReceipt('m-1', true, 'DELIVRD', later(9))).toEqual({
      kind: 'settled',
      deliveryId: id,
    });
    expect((await delivery('sms_kz')).deliveredAt).toEqual(later(3));
  });

  it('fails a sent SMS when a part’s receipt says it was not delivered, and says why', async () => {
    await database.db
      .update(deliveries)
      .set({ status: 'pending', attempts: 0 })
      .where(eq(deliveries.smsSubscriptionId, 'sms_almaty'));
    await sent('sms_almaty', ['f-1', 'f-2']);
    await parts.applyReceipt('f-1', false, 'UNDELIV', later(2));
    expect(await delivery('sms_almaty')).toMatchObject({
      status: 'failed',
      deliveredAt: null,
      lastError: 'the delivery receipt said UNDELIV',
    });
  });
});
