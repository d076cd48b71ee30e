import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { eq, sql } from 'drizzle-orm';
import { SmsSubscription, SmsSubscriptionsRepository } from './sms-subscriptions.repository';

const at = new Date('2026-01-01T09:00:00.123Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const pending = (id: string, phone: string): SmsSubscription => ({
  id,
  phone,
  filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
  exercises: false,
  status: 'pending',
  language: 'en',
  codeHash: null,
  codeSentAt: null,
  codesToday: 0,
  wrongCodes: 0,
  lockedUntil: null,
  createdAt: at,
  updatedAt: at,
  confirmedAt: null,
  unsubscribedAt: null,
  activeFrom: null,
  activeUntil: null,
  tripSummarySentAt: null,
});

describe.each(DATABASE_DRIVERS)('SmsSubscriptionsRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: SmsSubscriptionsRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new SmsSubscriptionsRepository(database.db);
  });
  afterAll(() => database?.close());

  it('keeps one subscription per number, and its area keys', async () => {
    expect(await repository.insert(pending('sms_one', '+77020000001'))).toBe(true);
    expect(await repository.insert(pending('sms_two', '+77020000001'))).toBe(false);
    expect(await repository.findByPhone('+77020000001')).toEqual(pending('sms_one', '+77020000001'));
    const keys = await database.db
      .select()
      .from(tables.smsSubscriptionAreaKeys)
      .where(eq(tables.smsSubscriptionAreaKeys.subscriberId, 'sms_one'));
    expect(keys.map((k) => k.key)).toContain('KZ');
  });

  it('lets one of two sign-ups that read the same row ask for a code, and voids the code before', async () => {
    await repository.insert(pending('sms_race', '+77020000002'));
    const first = await Promise.all([
      repository.claimCodeSlot('sms_race', null, at, 1),
      repository.claimCodeSlot('sms_race', null, at, 1),
    ]);
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(await repository.storeCode('sms_race', at, 'hash-1')).toBe(true);

    const read = await repository.findById('sms_race');
    expect(read).toMatchObject({ codeSentAt: at, codesToday: 1, codeHash: 'hash-1' });
    const second = await Promise.all([
      repository.claimCodeSlot('sms_race', read!.codeSentAt, later(120_000), 2),
      repository.claimCodeSlot('sms_race', read!.codeSentAt, later(120_000), 2),
    ]);
    expect(second.filter(Boolean)).toHaveLength(1);
    expect(await repository.findById('sms_race')).toMatchObject({
      codeSentAt: later(120_000),
      codesToday: 2,
      codeHash: null,
    });
  });

  it('stores a code only for the latest request of a number still pending, counting wrong codes afresh', async () => {
    await repository.insert({ ...pending('sms_store', '+77020000003'), wrongCodes: 3 });
    await repository.claimCodeSlot('sms_store', null, at, 1);
    await repository.claimCodeSlot('sms_store', at, later(60_000), 2);
    expect(await repository.storeCode('sms_store', at, 'stale')).toBe(false);
    expect(await repository.storeCode('sms_store', later(60_000), 'fresh')).toBe(true);
    expect(await repository.findById('sms_store')).toMatchObject({ codeHash: 'fresh', wrongCodes: 0 });

    await repository.update('sms_store', { status: 'confirmed', codeHash: null });
    expect(await repository.storeCode('sms_store', later(60_000), 'late')).toBe(false);
    expect((await repository.findById('sms_store'))!.codeHash).toBeNull();
  });

  it('matches a request time the database holds in microseconds to its millisecond', async () => {
    await repository.insert(pending('sms_micro', '+77020000004'));
    await database.db
      .update(tables.smsSubscriptions)
      .set({ codeSentAt: sql`'2026-01-01T09:00:00.123456Z'::timestamptz` })
      .where(eq(tables.smsSubscriptions.id, 'sms_micro'));
    expect(await repository.storeCode('sms_micro', at, 'hash')).toBe(true);
  });

  it('unsubscribes a pending or confirmed number on STOP once, and leaves others alone', async () => {
    await repository.insert({ ...pending('sms_stop', '+77020000005'), status: 'confirmed', language: 'ru' });
    const first = await repository.unsubscribeByPhone('+77020000005', later(1000));
    expect(first).toMatchObject({ id: 'sms_stop', status: 'unsubscribed', language: 'ru' });
    expect(await repository.unsubscribeByPhone('+77020000005', later(2000))).toBeNull();
    expect(await repository.findById('sms_stop')).toMatchObject({
      status: 'unsubscribed',
      unsubscribedAt: later(1000),
    });

    await repository.insert({ ...pending('sms_disabled', '+77020000006'), status: 'disabled' });
    expect(await repository.unsubscribeByPhone('+77020000006', later(1000))).toBeNull();
    expect((await repository.findById('sms_disabled'))!.status).toBe('disabled');
    expect(await repository.unsubscribeByPhone('+77029999999', later(1000))).toBeNull();
  });

  it('reads a row for update inside a transaction, and writes in it', async () => {
    await repository.insert(pending('sms_tx', '+77020000007'));
    await repository.transaction(async (tx) => {
      const row = await repository.findByPhone('+77020000007', tx, { forUpdate: true });
      await repository.update(row!.id, { wrongCodes: row!.wrongCodes + 1 }, tx);
    });
    expect((await repository.findById('sms_tx'))!.wrongCodes).toBe(1);
  });

  it('lists newest first by status and a part of the number, page by page', async () => {
    await repository.insert({ ...pending('sms_list1', '+77030000001'), createdAt: later(1) });
    await repository.insert({
      ...pending('sms_list2', '+77030000002'),
      createdAt: later(2),
      status: 'confirmed',
    });
    await repository.insert({ ...pending('sms_list3', '+77030000003'), createdAt: later(3) });
    const all = await repository.findMany({ search: '7703', limit: 10 });
    expect(all.map((p) => p.id)).toEqual(['sms_list3', 'sms_list2', 'sms_list1']);
    const after = await repository.findMany({ search: '7703', limit: 10, after: all[0].position });
    expect(after.map((p) => p.id)).toEqual(['sms_list2', 'sms_list1']);
    const pendingOnes = await repository.findMany({ search: '7703', status: 'pending', limit: 10 });
    expect(pendingOnes.map((p) => p.id)).toEqual(['sms_list3', 'sms_list1']);
    expect(await repository.findMany({ search: '%', limit: 10 })).toEqual([]);
  });

  it('erases a subscription with its area keys', async () => {
    await repository.insert(pending('sms_erase', '+77020000008'));
    expect(await repository.delete('sms_erase')).toBe(true);
    expect(await repository.delete('sms_erase')).toBe(false);
    expect(await repository.findById('sms_erase')).toBeNull();
    const keys = await database.db
      .select()
      .from(tables.smsSubscriptionAreaKeys)
      .where(eq(tables.smsSubscriptionAreaKeys.subscriberId, 'sms_erase'));
    expect(keys).toEqual([]);
  });
});
