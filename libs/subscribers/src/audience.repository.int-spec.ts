import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { AudienceRepository } from './audience.repository';
import { FilteredChange, SubscriptionFilter } from './subscription-filter';
import { NO_TRIP, TripWindow } from './trip-window';

const at = new Date('2026-01-01T00:00:00Z');
const ANY: SubscriptionFilter = { areas: ['*'], schemeId: null, minRank: null, events: null };

const tripFrom = new Date('2026-03-01T00:00:00Z');
const tripUntil = new Date('2026-03-08T00:00:00Z');

const kzToRed: FilteredChange = {
  areaCode: 'KZ',
  schemeId: 'kz-terror',
  previousRank: 2,
  currentRank: 3,
  direction: 'escalated',
};

describe.each(DATABASE_DRIVERS)('AudienceRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: AudienceRepository;

  const webhook = (id: string, filter: Partial<SubscriptionFilter>, enabled = true) =>
    database.db.insert(tables.webhookEndpoints).values({
      id,
      ownerKeyId: 'key_1',
      url: `https://${id}.example.org/`,
      ...{ ...ANY, ...filter },
      enabled,
      secret: `whsec_${id}`,
      createdAt: at,
      updatedAt: at,
    });
  const email = (
    id: string,
    filter: Partial<SubscriptionFilter>,
    status = 'confirmed',
    trip: TripWindow = NO_TRIP,
  ) =>
    database.db.insert(tables.emailSubscriptions).values({
      id,
      email: `${id}@example.org`,
      ...{ ...ANY, ...filter },
      status,
      ...trip,
      createdAt: at,
      updatedAt: at,
    });

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new AudienceRepository(database.db);
    await webhook('whk_kz', { areas: ['KZ'] });
    await webhook('whk_almaty', { areas: ['KZ-75'] });
    await webhook('whk_uk_scheme', { areas: ['KZ'], schemeId: 'uk-terror' });
    await webhook('whk_off', { areas: ['*'] }, false);
    await webhook('whk_falls_only', { areas: ['KZ'], events: ['deescalated'] });
    await email('sub_everywhere', {});
    await email('sub_red_only', { areas: ['KZ'], minRank: 3 });
    await email('sub_pending', { areas: ['KZ'] }, 'pending');
    await email('sub_fr', { areas: ['FR'] });
    await email('sub_iceland_trip', { areas: ['IS'] }, 'confirmed', {
      activeFrom: tripFrom,
      activeUntil: tripUntil,
    });
  });
  afterAll(() => database?.close());

  it('counts enabled endpoints and confirmed addresses whose filter matches a change, as the fan-out does', async () => {
    expect(await repository.count([kzToRed], at)).toEqual({ webhooks: 2, emails: 2 });
  });

  it('counts a subscriber matching several changes once', async () => {
    const almaty = { ...kzToRed, areaCode: 'KZ-75' };
    const paris = { ...kzToRed, areaCode: 'FR', schemeId: 'fr-vigipirate' };
    expect(await repository.count([kzToRed, almaty, paris], at)).toEqual({ webhooks: 2, emails: 3 });
  });

  it('applies the rank threshold to the previous or the current level', async () => {
    const fallToOrange = { ...kzToRed, previousRank: 3, currentRank: 2, direction: 'deescalated' as const };
    expect(await repository.count([fallToOrange], at)).toEqual({ webhooks: 3, emails: 2 });
    const yellow = { ...kzToRed, previousRank: null, currentRank: 1 };
    expect(await repository.count([yellow], at)).toEqual({ webhooks: 2, emails: 1 });
  });

  it('counts a trip only at an instant it holds: the one asked for, not now', async () => {
    const iceland: FilteredChange = { ...kzToRed, areaCode: 'IS', schemeId: 'travel-advisory' };
    const count = (instant: Date) => repository.count([iceland], instant);
    // sub_everywhere always; the trip from its first instant up to, not including, its end.
    expect(await count(new Date(tripFrom.getTime() - 1))).toEqual({ webhooks: 0, emails: 1 });
    expect(await count(tripFrom)).toEqual({ webhooks: 0, emails: 2 });
    expect(await count(new Date(tripUntil.getTime() - 1))).toEqual({ webhooks: 0, emails: 2 });
    expect(await count(tripUntil)).toEqual({ webhooks: 0, emails: 1 });
  });

  it('reaches nobody without changes', async () => {
    expect(await repository.count([], at)).toEqual({ webhooks: 0, emails: 0 });
  });
});
