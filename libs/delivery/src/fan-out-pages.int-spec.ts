// The fan-out finds its subscribers through their area keys (migration 0007), kept by triggers. These tests
// hold the pages to the reference rule (`filterMatches`) over every shape of filter area, through inserts,
// area changes and deletes, on both drivers.
import { queryRows, tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { EventChange } from '@tocsin/declarations';
import { filterMatches, SubscriptionFilter } from '@tocsin/subscribers';
import { eq, sql } from 'drizzle-orm';
import { ChannelName, DeliveriesRepository } from './deliveries.repository';
import { seedDeclaredEvent } from './testing/declared-event';
import { levelChangedEvent } from './testing/level-changed-event';

const { deliveries, emailSubscriptions, outbox, webhookEndpoints } = tables;
const at = new Date('2022-01-07T09:00:00Z');
const EVENT = levelChangedEvent('evt_pages', ['KZ-75']);

/** Subscribers' areas: everywhere, countries, subdivisions, several at once, and areas elsewhere. */
const SUBSCRIBER_AREAS: Record<string, string[]> = {
  s01: ['*'],
  s02: ['KZ'],
  s03: ['KZ-75'],
  s04: ['KZ-19'],
  s05: ['KZ-75', 'KZ-19'],
  s06: ['FR'],
  s07: ['FR-75C', 'KZ-71'],
  s08: ['GB-ENG'],
  s09: ['KZ', 'KZ-75'],
  s10: ['GB'],
  s11: ['KG'],
  s12: ['FR', '*'],
};

const change = (areaCode: string, schemeId = 'kz-terror'): EventChange => ({
  areaCode,
  schemeId,
  previousRank: 1,
  currentRank: 3,
  direction: 'escalated',
});

describe.each(DATABASE_DRIVERS)('fan-out pages on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeliveriesRepository;
  const filters = new Map<string, SubscriptionFilter>();

  const subscribe = async (channel: ChannelName, id: string, areas: string[]) => {
    const filter = { areas, schemeId: null, minRank: null, events: null };
    if (channel === 'webhook')
      await database.db.insert(webhookEndpoints).values({
        id,
        ownerKeyId: 'key_1',
        url: `https://${id}.example.org/hook`,
        ...filter,
        enabled: true,
        secret: `enc:v1:sealed-${id}`,
        createdAt: at,
        updatedAt: at,
      });
    else
      await database.db.insert(emailSubscriptions).values({
        id,
        email: `${id}@example.org`,
        ...filter,
        status: 'confirmed',
        createdAt: at,
        updatedAt: at,
      });
    filters.set(`${channel}:${id}`, filter);
  };
  /** The subscribers every page of `changes` reaches, `size` at a time, in the order the pages came. */
  const reached = async (channel: ChannelName, changes: EventChange[], size: number) => {
    await database.db.delete(deliveries);
    const column = channel === 'webhook' ? 'webhookEndpointId' : 'emailSubscriptionId';
    const ends: string[] = [];
    for (let after = ''; ;) {
      const page = await repository.createPage(channel, EVENT.data.eventId, changes, after, size);
      if (page === null) break;
      ends.push(page.last);
      after = page.last;
    }
    const rows = await database.db.select().from(deliveries);
    return { ids: rows.map((row) => row[column]!).sort(), pages: ends.length };
  };
  const expected = (channel: ChannelName, changes: EventChange[]) =>
    [...filters]
      .filter(
        ([key, filter]) => key.startsWith(`${channel}:`) && changes.some((c) => filterMatches(filter, c)),
      )
      .map(([key]) => key.slice(channel.length + 1))
      .sort();

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new DeliveriesRepository(database.db, await seedDeclaredEvent(database.db, EVENT, at));
    for (const [id, areas] of Object.entries(SUBSCRIBER_AREAS)) {
      await subscribe('webhook', `whk_${id}`, areas);
      await subscribe('email', `sub_${id}`, areas);
    }
  });
  afterAll(() => database?.close());

  const CASES: Array<[string, EventChange[]]> = [
    ['a subdivision', [change('KZ-75')]],
    ['a country', [change('KZ')]],
    ['another country', [change('FR', 'fr-vigipirate')]],
    ['a subdivision no one names', [change('KZ-63')]],
    ['a country with no subscriber of its own', [change('JP', 'travel-advisory')]],
    ['several areas at once', [change('KZ-19'), change('GB-ENG', 'uk-terror'), change('FR-75C')]],
  ];

  it.each(CASES)(
    'a change of %s reaches exactly whom the rule names, on every page size',
    async (_, changes) => {
      for (const channel of ['webhook', 'email'] as const)
        for (const size of [1, 2, 5, 1000]) {
          const { ids, pages } = await reached(channel, changes, size);
          const want = expected(channel, changes);
          expect({ channel, size, ids }).toEqual({ channel, size, ids: want });
          expect(pages).toBe(Math.ceil(want.length / size));
        }
    },
  );

  it('follows a subscriber whose areas change, and forgets one that is deleted', async () => {
    await subscribe('webhook', 'whk_moving', ['JP']);
    expect((await reached('webhook', [change('KZ-75')], 3)).ids).not.toContain('whk_moving');

    await database.db
      .update(webhookEndpoints)
      .set({ areas: ['KZ-75'] })
      .where(eq(webhookEndpoints.id, 'whk_moving'));
    filters.set('webhook:whk_moving', { areas: ['KZ-75'], schemeId: null, minRank: null, events: null });
    expect((await reached('webhook', [change('KZ')], 3)).ids).toEqual(expected('webhook', [change('KZ')]));
    expect((await reached('webhook', [change('JP', 'travel-advisory')], 3)).ids).not.toContain('whk_moving');

    await database.db.delete(deliveries);
    await database.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, 'whk_moving'));
    filters.delete('webhook:whk_moving');
    const keys = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from webhook_endpoint_area_keys where subscriber_id = 'whk_moving'`,
    );
    expect(keys).toEqual([{ n: 0 }]);
    expect((await reached('webhook', [change('KZ-75')], 3)).ids).toEqual(
      expected('webhook', [change('KZ-75')]),
    );
  });

  it('takes an exercise or a test only to the subscribers who opted into them', async () => {
    const optedIn = ['s01', 's03', 's09'];
    for (const id of optedIn) {
      await database.db
        .update(webhookEndpoints)
        .set({ exercises: true })
        .where(eq(webhookEndpoints.id, `whk_${id}`));
      await database.db
        .update(emailSubscriptions)
        .set({ exercises: true })
        .where(eq(emailSubscriptions.id, `sub_${id}`));
    }
    try {
      for (const mode of ['exercise', 'test'] as const) {
        await database.db.update(outbox).set({ mode }).where(eq(outbox.eventId, EVENT.data.eventId));
        expect((await reached('webhook', [change('KZ-75')], 2)).ids).toEqual(
          optedIn.map((id) => `whk_${id}`),
        );
        expect((await reached('email', [change('KZ-75')], 1000)).ids).toEqual(
          optedIn.map((id) => `sub_${id}`),
        );
      }
      // An actual event still reaches everyone the rule names, opted in or not.
      await database.db.update(outbox).set({ mode: 'actual' }).where(eq(outbox.eventId, EVENT.data.eventId));
      expect((await reached('webhook', [change('KZ-75')], 2)).ids).toEqual(
        expected('webhook', [change('KZ-75')]),
      );
    } finally {
      await database.db.update(webhookEndpoints).set({ exercises: false });
      await database.db.update(emailSubscriptions).set({ exercises: false });
    }
  });
});
