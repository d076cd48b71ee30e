// The trip clock's sweep on both drivers, with the queue in memory (FakeQueues, whose loseAll is Redis
// restarting empty): the rows say what is owed, so a sweep repeated, or run after the queue lost its jobs,
// ends each trip once (audited once) and owes each summary until it is recorded sent.
import { AuditLogRepository } from '@tocsin/audit';
import { loadConfig } from '@tocsin/config';
import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { JOB } from '@tocsin/queue';
import { FakeQueues, StoppedClock } from './testing/fakes';
import { TripClock } from './trip-clock.service';
import { TripsRepository } from './trips.repository';

const { emailSubscriptions, smsSubscriptions } = tables;
const now = new Date('2027-03-05T12:00:00Z');
const DAY = 86_400_000;
const shifted = (ms: number) => new Date(now.getTime() + ms);

describe.each(DATABASE_DRIVERS)('TripClock.sweep on %s', (driver) => {
  let database: TestDatabase;
  let queues: FakeQueues;
  let audit: AuditLogRepository;
  let trips: TripsRepository;
  let clock: TripClock;

  beforeEach(async () => {
    database = await createTestDatabase(driver);
    queues = new FakeQueues();
    audit = new AuditLogRepository(database.db);
    trips = new TripsRepository(database.db);
    clock = new TripClock(trips, audit, queues.port, new StoppedClock(now), loadConfig({}));
    const base = { areas: ['KZ'], status: 'confirmed', createdAt: now, updatedAt: now };
    await database.db.insert(emailSubscriptions).values([
      { id: 'sub_begun', email: 'begun@example.org', ...base, activeFrom: shifted(-DAY) },
      { id: 'sub_over', email: 'over@example.org', ...base, activeUntil: shifted(-DAY) },
      { id: 'sub_always', email: 'always@example.org', ...base },
    ]);
    await database.db
      .insert(smsSubscriptions)
      .values([{ id: 'sms_begun', phone: '+77010000001', ...base, activeFrom: shifted(-DAY) }]);
  });
  afterEach(() => database?.close());

  const endedAudits = async () =>
    (await audit.findPage({ limit: 100, action: 'subscriber.ended' })).map((e) => ({
      actor: e.actor.name,
      target: e.target,
      details: e.details,
    }));

  it('ends the trips that are over, audited as the system, and queues one job per owed summary', async () => {
    expect(await clock.sweep()).toEqual({ ended: 1, summariesQueued: 2 });
    expect(await endedAudits()).toEqual([
      {
        actor: 'system',
        target: { type: 'email_subscription', id: 'sub_over' },
        details: { status: 'ended' },
      },
    ]);
    expect(queues.of(JOB.sendTripSummary).map((job) => job.data)).toEqual([
      { channel: 'email', subscriptionId: 'sub_begun' },
      { channel: 'sms', subscriptionId: 'sms_begun' },
    ]);
    expect([...queues.jobs.keys()].sort()).toEqual(['tripsummary.sms_begun', 'tripsummary.sub_begun']);
  });

  it('ends each trip once and queues each summary once, however many sweeps find them', async () => {
    await clock.sweep();
    expect(await clock.sweep()).toEqual({ ended: 0, summariesQueued: 2 });
    expect(await endedAudits()).toHaveLength(1);
    expect(queues.of(JOB.sendTripSummary)).toHaveLength(2);
  });

  it('queues the owed summaries again after the queue lost its jobs, and none once they are recorded', async () => {
    await clock.sweep();
    queues.loseAll();
    await clock.sweep();
    expect(queues.of(JOB.sendTripSummary)).toHaveLength(2);

    queues.loseAll();
    await trips.markSummarySent('email', 'sub_begun', shifted(-DAY), now);
    await trips.markSummarySent('sms', 'sms_begun', shifted(-DAY), now);
    expect(await clock.sweep()).toEqual({ ended: 0, summariesQueued: 0 });
    expect(queues.jobs.size).toBe(0);
  });

  it("makes an ended trip's digest due at once, for what was held within it; one due earlier stays", async () => {
    const over = { areas: ['KZ'], status: 'confirmed', createdAt: now, updatedAt: now, activeUntil: now };
    await database.db.insert(emailSubscriptions).values([
      { id: 'sub_daily', email: 'daily@example.org', ...over, delivery: 'daily', nextDigestAt: shifted(DAY) },
      { id: 'sub_due', email: 'due@example.org', ...over, delivery: 'daily', nextDigestAt: shifted(-60_000) },
    ]);
    expect(await clock.sweep()).toMatchObject({ ended: 3 });
    const digestOf = async (id: string) =>
      (await database.db.select().from(emailSubscriptions)).find((s) => s.id === id)!;
    expect(await digestOf('sub_daily')).toMatchObject({ status: 'ended', nextDigestAt: now });
    expect(await digestOf('sub_due')).toMatchObject({ status: 'ended', nextDigestAt: shifted(-60_000) });
    // Immediate delivery: no digest owed, none made.
    expect(await digestOf('sub_over')).toMatchObject({ status: 'ended', nextDigestAt: null });
  });
});
