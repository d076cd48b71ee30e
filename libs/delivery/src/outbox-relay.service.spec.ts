import type { DatabaseNotifications } from '@tocsin/database';
import type {
  AnnouncedOutboxEvent,
  DueEventsService,
  DueOutboxEvent,
  EventHandOff,
  OutboxRepository,
} from '@tocsin/declarations';
import { JOB } from '@tocsin/queue';
import { AFTER_COMMIT_MS, HAND_OFF_GRACE_MS, OutboxRelay, RELAY_INTERVAL_MS } from './outbox-relay.service';
import { FakeQueues, StoppedClock } from './testing/fakes';
import { levelChangedEvent } from './testing/level-changed-event';

const AT = new Date('2022-01-07T09:00:00Z');

describe('OutboxRelay', () => {
  let due: DueOutboxEvent[];
  let passes: number[];
  let handOffSince: (Date | undefined)[];
  let handedOn: AnnouncedOutboxEvent[][];
  let queues: FakeQueues;
  let notify: () => void;
  let relay: OutboxRelay;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    due = [];
    passes = [];
    handOffSince = [];
    handedOn = [];
    queues = new FakeQueues();
    const outbox = {
      due: async (_now: Date, _limit: number, since?: Date) => {
        passes.push(Date.now());
        handOffSince.push(since);
        return due.splice(0);
      },
    } as unknown as OutboxRepository;
    const handOff = {
      relayed: async (events: AnnouncedOutboxEvent[]) => void handedOn.push(events),
    } as unknown as EventHandOff;
    const notifications: DatabaseNotifications = {
      listen: async (_channel, onNotify) => {
        notify = onNotify;
        return async () => undefined;
      },
    };
    relay = new OutboxRelay(
      outbox,
      {} as DueEventsService,
      queues.port,
      new StoppedClock(AT),
      handOff,
      notifications,
    );
  });
  afterEach(async () => {
    await relay.beforeApplicationShutdown();
    jest.useRealTimers();
  });

  it('runs a pass woken by commits a moment after the first of them, however many follow', async () => {
    await relay.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(passes).toEqual([0]);

    await jest.advanceTimersByTimeAsync(10);
    notify();
    // Commits every 5 ms: none of them pushes the woken pass back.
    for (let i = 0; i < 3; i++) {
      await jest.advanceTimersByTimeAsync(5);
      notify();
    }
    await jest.advanceTimersByTimeAsync(AFTER_COMMIT_MS - 15);
    expect(passes).toEqual([0, 10 + AFTER_COMMIT_MS]);

    // Quiet again: the poll's interval.
    await jest.advanceTimersByTimeAsync(RELAY_INTERVAL_MS);
    expect(passes).toEqual([0, 10 + AFTER_COMMIT_MS, 10 + AFTER_COMMIT_MS + RELAY_INTERVAL_MS]);
    // Every pass leaves to their acts what they wrote for now within the grace: they hand it on themselves.
    expect(handOffSince).toEqual(passes.map(() => new Date(AT.getTime() - HAND_OFF_GRACE_MS)));
  });

  it('queues the due events not fanned out yet, and hands every one on to be marked and announced', async () => {
    const queued = levelChangedEvent('evt_queued', ['KZ']);
    const fannedOut = levelChangedEvent('evt_fanned_out', ['GB']);
    due = [
      { eventId: 'evt_queued', position: 1, payload: queued, fannedOut: false },
      { eventId: 'evt_fanned_out', position: 2, payload: fannedOut, fannedOut: true },
    ];

    expect(await relay.relayDue()).toBe(2);

    // Adding the fanned-out one again would run its finished job again.
    expect(queues.of(JOB.fanOut).map((job) => job.data)).toEqual([{ eventId: 'evt_queued' }]);
    expect(handedOn).toEqual([
      [
        { position: 1, event: queued },
        { position: 2, event: fannedOut },
      ],
    ]);
  });
});
