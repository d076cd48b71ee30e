// Trips (DESIGN.md §5.6) in the fan-out's page query and the audience preview: a subscription hears an event
// only if the instant the change took effect (the outbox row's due_at) lies in [activeFrom, activeUntil),
// on both drivers, for email and SMS alike, and a second run (a late retry, a reconciler pass) long after
// decides the same.
import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { EventChange } from '@tocsin/declarations';
import { AudienceRepository, inTrip } from '@tocsin/subscribers';
import { DeliveriesRepository } from './deliveries.repository';
import { seedDeclaredEvent } from './testing/declared-event';
import { levelChangedEvent } from './testing/level-changed-event';

const { deliveries, emailSubscriptions, smsSubscriptions } = tables;
/** When the change took effect: the event's own instant. */
const at = new Date('2022-01-07T09:00:00Z');
const EVENT = levelChangedEvent('evt_trips', ['KZ-75']);
const shifted = (ms: number) => new Date(at.getTime() + ms);
const HOUR = 3_600_000;

/** Windows around the event's instant; the bounds themselves are the cases that matter most. */
const WINDOWS: Record<string, { activeFrom: Date | null; activeUntil: Date | null }> = {
  always: { activeFrom: null, activeUntil: null },
  around: { activeFrom: shifted(-HOUR), activeUntil: shifted(HOUR) },
  startsAtIt: { activeFrom: at, activeUntil: shifted(HOUR) },
  endsAtIt: { activeFrom: shifted(-HOUR), activeUntil: at },
  endsJustAfter: { activeFrom: null, activeUntil: shifted(1) },
  startsJustAfter: { activeFrom: shifted(1), activeUntil: null },
  over: { activeFrom: shifted(-48 * HOUR), activeUntil: shifted(-24 * HOUR) },
  ahead: { activeFrom: shifted(24 * HOUR), activeUntil: shifted(48 * HOUR) },
};
const HEARD = Object.keys(WINDOWS)
  .filter((name) => inTrip(WINDOWS[name], at))
  .sort();

const kzChange: EventChange = {
  areaCode: 'KZ-75',
  schemeId: 'kz-terror',
  previousRank: 1,
  currentRank: 3,
  direction: 'escalated',
};

describe.each(DATABASE_DRIVERS)('trip windows in the fan-out on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeliveriesRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new DeliveriesRepository(database.db, await seedDeclaredEvent(database.db, EVENT, at));
    const filter = { areas: ['KZ'], schemeId: null, minRank: null, events: null };
    for (const [name, window] of Object.entries(WINDOWS)) {
      const row = { ...filter, ...window, status: 'confirmed', createdAt: at, updatedAt: at };
      await database.db
        .insert(emailSubscriptions)
        .values({ id: `sub_${name}`, email: `${name}@example.org`, ...row });
      await database.db.insert(smsSubscriptions).values({
        id: `sms_${name}`,
        phone: `+7701${String(Object.keys(WINDOWS).indexOf(name)).padStart(7, '0')}`,
        ...row,
      });
    }
  });
  afterAll(() => database?.close());

  const reached = async () => {
    const { pages } = await repository.createFirstPages(EVENT.data.eventId, 1000, 0);
    const rows = await database.db.select().from(deliveries);
    return {
      email: rows.flatMap((r) => (r.emailSubscriptionId ? [r.emailSubscriptionId.slice(4)] : [])).sort(),
      sms: rows.flatMap((r) => (r.smsSubscriptionId ? [r.smsSubscriptionId.slice(4)] : [])).sort(),
      firstAttempts: (pages.email?.firstAttempts.length ?? 0) + (pages.sms?.firstAttempts.length ?? 0),
    };
  };

  it('makes deliveries for exactly the trips that hold the instant the change took effect', async () => {
    await database.db.delete(deliveries);
    // Only these: a window ending at the instant is over, one starting at it has begun.
    expect(HEARD).toEqual(['always', 'around', 'endsJustAfter', 'startsAtIt']);
    const first = await reached();
    expect(first).toEqual({ email: HEARD, sms: HEARD, firstAttempts: 2 * HEARD.length });
  });

  it('decides the same on a later run, whatever the time is then', async () => {
    // "Now" is years past every window; a second run over the rows of the first adds no one.
    await database.db.delete(deliveries);
    await reached();
    const again = await reached();
    expect({ email: again.email, sms: again.sms }).toEqual({ email: HEARD, sms: HEARD });
  });

  it('counts in the audience preview the same trips, at the instant the changes would take effect', async () => {
    const audience = new AudienceRepository(database.db);
    expect((await audience.count([kzChange], at)).emails).toBe(HEARD.length);
    // Before every window but `always` and those open at the start.
    const before = Object.values(WINDOWS).filter((w) => inTrip(w, shifted(-72 * HOUR))).length;
    expect((await audience.count([kzChange], shifted(-72 * HOUR))).emails).toBe(before);
  });
});
