import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { eq } from 'drizzle-orm';
import { DeliveriesRepository } from './deliveries.repository';
import { seedDeclaredEvent } from './testing/declared-event';
import { levelChangedEvent } from './testing/level-changed-event';

const { deliveries, emailSubscriptions, outbox } = tables;

const at = new Date('2022-01-07T09:00:00Z');
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
const EVENTS = ['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5'];

/** DeliveriesRepository.latestSettledEmailDeliveries, the bounce rule's one read per batch. */
describe.each(DATABASE_DRIVERS)('latest settled email deliveries on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeliveriesRepository;
  let made = 0;

  const subscription = (id: string, updatedAt = at) =>
    database.db.insert(emailSubscriptions).values({
      id,
      email: `${id}@example.org`,
      areas: ['KZ'],
      schemeId: null,
      minRank: null,
      events: null,
      status: 'confirmed',
      createdAt: at,
      updatedAt,
    });
  /** A delivery to `subscriptionId` of the `n`th event, created `n` minutes after `at`. */
  const delivery = (
    subscriptionId: string,
    n: number,
    status: string,
    lastStatusCode: number | null = null,
    digestDueAt: Date | null = null,
  ) =>
    database.db.insert(deliveries).values({
      digestDueAt,
      id: `dlv_${++made}`,
      eventId: EVENTS[n - 1],
      channel: 'email',
      emailSubscriptionId: subscriptionId,
      status,
      attempts: status === 'pending' || status === 'skipped' ? 0 : 1,
      lastStatusCode,
      lastError: lastStatusCode ? `${lastStatusCode} from the server (${n})` : null,
      createdAt: later(n),
      updatedAt: later(n),
    });

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    const outboxRepository = await seedDeclaredEvent(database.db, levelChangedEvent(EVENTS[0]), at);
    await database.db.transaction((tx) =>
      outboxRepository.append(
        tx,
        EVENTS.slice(1).map((eventId) => ({
          eventId,
          declarationId: 'dcl_1',
          cause: 'declared' as const,
          dueAt: at,
          payload: levelChangedEvent(eventId),
        })),
      ),
    );
    expect(await database.db.select().from(outbox)).toHaveLength(EVENTS.length);
    repository = new DeliveriesRepository(database.db, outboxRepository);
  });
  beforeEach(async () => {
    await database.db.delete(deliveries);
    await database.db.delete(emailSubscriptions);
  });
  afterAll(() => database?.close());

  it('answers each subscription’s latest settled deliveries newest first, at most `count`, across events', async () => {
    await subscription('sub_a');
    await subscription('sub_b');
    await subscription('sub_quiet');
    await delivery('sub_a', 1, 'delivered');
    await delivery('sub_a', 2, 'failed', 550);
    await delivery('sub_a', 3, 'failed', 553);
    await delivery('sub_a', 4, 'failed', 550);
    await delivery('sub_b', 1, 'failed', 550);
    await delivery('sub_b', 2, 'delivered');

    const latest = await repository.latestSettledEmailDeliveries(
      ['sub_a', 'sub_b', 'sub_quiet', 'sub_gone'],
      3,
    );
    expect(Object.fromEntries(latest)).toEqual({
      sub_a: [
        { status: 'failed', statusCode: 550, error: '550 from the server (4)' },
        { status: 'failed', statusCode: 553, error: '553 from the server (3)' },
        { status: 'failed', statusCode: 550, error: '550 from the server (2)' },
      ],
      sub_b: [
        { status: 'delivered', statusCode: null, error: null },
        { status: 'failed', statusCode: 550, error: '550 from the server (1)' },
      ],
    });
  });

  it('leaves out pending and skipped deliveries: they say nothing about the address', async () => {
    await subscription('sub_a');
    await delivery('sub_a', 1, 'failed', 550);
    await delivery('sub_a', 2, 'skipped');
    await delivery('sub_a', 3, 'failed', 550);
    await delivery('sub_a', 4, 'pending');
    const latest = await repository.latestSettledEmailDeliveries(['sub_a'], 3);
    expect(latest.get('sub_a')?.map((d) => d.error)).toEqual([
      '550 from the server (3)',
      '550 from the server (1)',
    ]);
  });

  it('counts only deliveries created since the subscription last changed (a resume starts afresh)', async () => {
    await subscription('sub_a', later(2.5));
    await delivery('sub_a', 1, 'failed', 550);
    await delivery('sub_a', 2, 'failed', 550);
    await delivery('sub_a', 3, 'failed', 550);
    expect((await repository.latestSettledEmailDeliveries(['sub_a'], 3)).get('sub_a')).toEqual([
      { status: 'failed', statusCode: 550, error: '550 from the server (3)' },
    ]);
    await database.db
      .update(emailSubscriptions)
      .set({ updatedAt: later(10) })
      .where(eq(emailSubscriptions.id, 'sub_a'));
    expect((await repository.latestSettledEmailDeliveries(['sub_a'], 3)).size).toBe(0);
  });

  it('counts the deliveries one refused digest held as one failure, the newest of them', async () => {
    await subscription('sub_digest');
    const digest = later(60);
    for (const n of [1, 2, 3]) await delivery('sub_digest', n, 'failed', 550, digest);
    await delivery('sub_digest', 4, 'failed', 550);
    const latest = (await repository.latestSettledEmailDeliveries(['sub_digest'], 3)).get('sub_digest');
    expect(latest?.map((d) => d.error)).toEqual(['550 from the server (4)', '550 from the server (3)']);
    // Another digest refused: three emails refused in a row now.
    await delivery('sub_digest', 5, 'failed', 550, later(120));
    const after = (await repository.latestSettledEmailDeliveries(['sub_digest'], 3)).get('sub_digest');
    expect(after?.map((d) => d.error)).toEqual([
      '550 from the server (5)',
      '550 from the server (4)',
      '550 from the server (3)',
    ]);
  });

  it('answers nothing for no subscriptions, without asking the database', async () => {
    expect((await repository.latestSettledEmailDeliveries([], 3)).size).toBe(0);
  });
});
