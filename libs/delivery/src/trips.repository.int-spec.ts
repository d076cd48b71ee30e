// The trip clock's queries on both drivers: which trips end, which summaries are owed, and recording one
// sent only once, for the trip it was sent for.
import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { TripChannel, TripsRepository } from './trips.repository';

const { emailSubscriptions, smsSubscriptions } = tables;
const now = new Date('2027-03-05T12:00:00Z');
const shifted = (ms: number) => new Date(now.getTime() + ms);
const DAY = 86_400_000;

interface Row {
  status: string;
  activeFrom?: Date | null;
  activeUntil?: Date | null;
  tripSummarySentAt?: Date | null;
}

/** Subscriptions in every state a sweep must tell apart, the same on both channels. */
const ROWS: Record<string, Row> = {
  noTrip: { status: 'confirmed' },
  begun: { status: 'confirmed', activeFrom: shifted(-DAY), activeUntil: shifted(DAY) },
  beginsNow: { status: 'confirmed', activeFrom: now },
  ahead: { status: 'confirmed', activeFrom: shifted(DAY), activeUntil: shifted(2 * DAY) },
  summarised: {
    status: 'confirmed',
    activeFrom: shifted(-DAY),
    activeUntil: shifted(DAY),
    tripSummarySentAt: shifted(-DAY),
  },
  pendingBegun: { status: 'pending', activeFrom: shifted(-DAY) },
  over: { status: 'confirmed', activeFrom: shifted(-2 * DAY), activeUntil: shifted(-DAY) },
  endsNow: { status: 'confirmed', activeUntil: now },
  pendingOver: { status: 'pending', activeUntil: shifted(-DAY) },
  unsubscribedOver: { status: 'unsubscribed', activeUntil: shifted(-DAY) },
  alreadyEnded: { status: 'ended', activeUntil: shifted(-DAY) },
};

describe.each(DATABASE_DRIVERS)('TripsRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: TripsRepository;

  beforeEach(async () => {
    database = await createTestDatabase(driver);
    repository = new TripsRepository(database.db);
    const filter = { areas: ['KZ'], schemeId: null, minRank: null, events: null };
    let n = 0;
    for (const [name, row] of Object.entries(ROWS)) {
      const values = { ...filter, ...row, createdAt: now, updatedAt: now };
      await database.db
        .insert(emailSubscriptions)
        .values({ id: `sub_${name}`, email: `${name}@example.org`, ...values });
      await database.db
        .insert(smsSubscriptions)
        .values({ id: `sms_${name}`, phone: `+7701${String(n++).padStart(7, '0')}`, ...values });
    }
  });
  afterEach(() => database?.close());

  const statuses = async (channel: TripChannel) => {
    const table = channel === 'email' ? emailSubscriptions : smsSubscriptions;
    const rows = await database.db.select({ id: table.id, status: table.status }).from(table);
    return Object.fromEntries(rows.map((r) => [r.id.slice(4), r.status]));
  };

  it.each(['email', 'sms'] as const)(
    'ends the %s trips that are over, confirmed or pending, and no other',
    async (channel) => {
      const prefix = channel === 'email' ? 'sub_' : 'sms_';
      const ended = await repository.endOverTrips(channel, now, 1000);
      expect(ended.sort()).toEqual(['endsNow', 'over', 'pendingOver'].map((n) => prefix + n));
      const after = await statuses(channel);
      expect(after).toMatchObject({ over: 'ended', endsNow: 'ended', pendingOver: 'ended' });
      expect(after).toMatchObject({
        begun: 'confirmed',
        unsubscribedOver: 'unsubscribed',
        noTrip: 'confirmed',
      });
      // A second sweep ends nothing twice.
      expect(await repository.endOverTrips(channel, now, 1000)).toEqual([]);
    },
  );

  it('ends at most a page of trips a sweep, the oldest first', async () => {
    expect(await repository.endOverTrips('email', now, 1)).toEqual(['sub_over']);
  });

  it('finds the summaries owed on both channels: confirmed trips begun, not over, not summarised', async () => {
    const owed = await repository.owedSummaries(now, 1000);
    expect(owed.map((o) => `${o.channel}:${o.subscriptionId}`).sort()).toEqual([
      'email:sub_beginsNow',
      'email:sub_begun',
      'sms:sms_beginsNow',
      'sms:sms_begun',
    ]);
  });

  it('records a summary sent once, and only for the trip it was sent for', async () => {
    const start = ROWS.begun.activeFrom!;
    expect(await repository.markSummarySent('email', 'sub_begun', shifted(-2 * DAY), now)).toBe(false);
    expect(await repository.markSummarySent('email', 'sub_begun', start, now)).toBe(true);
    expect(await repository.markSummarySent('email', 'sub_begun', start, shifted(1000))).toBe(false);
    expect(await repository.markSummarySent('sms', 'sms_begun', start, now)).toBe(true);
    const owed = await repository.owedSummaries(now, 1000);
    expect(owed.map((o) => o.subscriptionId).sort()).toEqual(['sms_beginsNow', 'sub_beginsNow']);
  });
});
