import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { eq, sql } from 'drizzle-orm';
import { EmailSubscription, EmailSubscriptionsRepository } from './email-subscriptions.repository';

const at = new Date('2026-01-01T09:00:00.123Z');
const pending = (id: string): EmailSubscription => ({
  id,
  email: `${id}@example.org`,
  filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
  exercises: false,
  status: 'pending',
  language: 'en',
  timeZone: null,
  tokenVersion: 1,
  createdAt: at,
  updatedAt: at,
  confirmedAt: null,
  unsubscribedAt: null,
  confirmationSentAt: null,
  confirmationsToday: 0,
  activeFrom: null,
  activeUntil: null,
  tripSummarySentAt: null,
  delivery: 'immediate',
  immediateMinRank: null,
  digestHour: 8,
  digestWeekday: 1,
  nextDigestAt: null,
});

describe.each(DATABASE_DRIVERS)('EmailSubscriptionsRepository.claimMailSlot on %s', (driver) => {
  let database: TestDatabase;
  let repository: EmailSubscriptionsRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new EmailSubscriptionsRepository(database.db);
  });
  afterAll(() => database?.close());

  it('lets one of two sign-ups that read the same row mail, the first time and every later time', async () => {
    await repository.insert(pending('sub_race'));
    const first = await Promise.all([
      repository.claimMailSlot('sub_race', null, at, 1),
      repository.claimMailSlot('sub_race', null, at, 1),
    ]);
    expect(first.filter(Boolean)).toHaveLength(1);

    const read = await repository.findById('sub_race');
    expect(read).toMatchObject({ confirmationSentAt: at, confirmationsToday: 1 });
    const later = new Date(at.getTime() + 11 * 60 * 1000);
    const second = await Promise.all([
      repository.claimMailSlot('sub_race', read!.confirmationSentAt, later, 2),
      repository.claimMailSlot('sub_race', read!.confirmationSentAt, later, 2),
    ]);
    expect(second.filter(Boolean)).toHaveLength(1);
    expect(await repository.findById('sub_race')).toMatchObject({
      confirmationSentAt: later,
      confirmationsToday: 2,
    });
  });

  it('takes the read of a time the database holds in microseconds as that time', async () => {
    await repository.insert(pending('sub_micro'));
    await database.db
      .update(tables.emailSubscriptions)
      .set({ confirmationSentAt: sql`'2026-01-01T09:00:00.123456Z'::timestamptz` })
      .where(eq(tables.emailSubscriptions.id, 'sub_micro'));
    const read = (await repository.findById('sub_micro'))!.confirmationSentAt;
    expect(read).toEqual(at);
    expect(
      await repository.claimMailSlot('sub_micro', read, new Date(at.getTime() + 11 * 60 * 1000), 1),
    ).toBe(true);
  });

  it('refuses a claim made from a stale read', async () => {
    await repository.insert(pending('sub_stale'));
    expect(await repository.claimMailSlot('sub_stale', null, at, 1)).toBe(true);
    expect(await repository.claimMailSlot('sub_stale', null, new Date(at.getTime() + 1000), 1)).toBe(false);
  });
});

describe.each(DATABASE_DRIVERS)('EmailSubscriptionsRepository languages on %s', (driver) => {
  let database: TestDatabase;
  let repository: EmailSubscriptionsRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new EmailSubscriptionsRepository(database.db);
  });
  afterAll(() => database?.close());

  it("keeps a subscription's language and time zone, and a null zone as null", async () => {
    await repository.insert({ ...pending('sub_ru'), language: 'ru', timeZone: 'Europe/London' });
    await repository.insert(pending('sub_default'));
    expect(await repository.findById('sub_ru')).toMatchObject({ language: 'ru', timeZone: 'Europe/London' });
    expect(await repository.findById('sub_default')).toMatchObject({ language: 'en', timeZone: null });

    await repository.update('sub_ru', { language: 'kk-Cyrl-KZ', timeZone: null });
    expect(await repository.findById('sub_ru')).toMatchObject({ language: 'kk-Cyrl-KZ', timeZone: null });
  });
});

describe.each(DATABASE_DRIVERS)('EmailSubscriptionsRepository suspend and resume on %s', (driver) => {
  let database: TestDatabase;
  let repository: EmailSubscriptionsRepository;
  const later = new Date(at.getTime() + 60_000);
  const confirmed = (id: string): EmailSubscription => ({
    ...pending(id),
    status: 'confirmed',
    confirmedAt: at,
  });

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new EmailSubscriptionsRepository(database.db);
    await repository.insert(confirmed('sub_dead'));
    await repository.insert(confirmed('sub_dead_too'));
    await repository.insert({ ...pending('sub_left'), status: 'unsubscribed' });
  });
  afterAll(() => database?.close());

  it('suspends the confirmed ones set-wise, once, and leaves the others as they are', async () => {
    expect(await repository.suspend([], later)).toEqual([]);
    const suspended = await repository.suspend(['sub_dead', 'sub_dead_too', 'sub_left', 'sub_none'], later);
    expect(suspended.sort()).toEqual(['sub_dead', 'sub_dead_too']);
    // A second batch that saw the same bounces suspends nothing more (and so audits nothing twice).
    expect(await repository.suspend(['sub_dead'], later)).toEqual([]);
    expect(await repository.findById('sub_dead')).toMatchObject({
      status: 'suspended',
      updatedAt: later,
      confirmedAt: at,
    });
    expect(await repository.findById('sub_left')).toMatchObject({ status: 'unsubscribed', updatedAt: at });
    expect((await repository.findMany({ status: 'suspended', limit: 10 })).map((s) => s.id).sort()).toEqual([
      'sub_dead',
      'sub_dead_too',
    ]);
  });

  it('resumes a suspended one to confirmed, and refuses one that is not suspended', async () => {
    const resumedAt = new Date(later.getTime() + 60_000);
    expect(await repository.resume('sub_dead_too', resumedAt)).toBe(true);
    expect(await repository.findById('sub_dead_too')).toMatchObject({
      status: 'confirmed',
      updatedAt: resumedAt,
    });
    expect(await repository.resume('sub_dead_too', resumedAt)).toBe(false);
    expect(await repository.resume('sub_left', resumedAt)).toBe(false);
    expect(await repository.resume('sub_none', resumedAt)).toBe(false);
  });
});
