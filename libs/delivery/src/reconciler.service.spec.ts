import { loadConfig } from '@tocsin/config';
import { JOB } from '@tocsin/queue';
import { Reconciler } from './reconciler.service';
import { FakeDeliveryTable, FakeOutbox, FakeQueues, StoppedClock } from './testing/fakes';

const AT = new Date('2022-01-07T09:00:00Z');
const LOST_AFTER_MS = 60_000;
const later = (ms: number) => new Date(AT.getTime() + ms);

describe('Reconciler', () => {
  let clock: StoppedClock;
  let deliveries: FakeDeliveryTable;
  let outbox: FakeOutbox;
  let queues: FakeQueues;
  let reconciler: Reconciler;
  const jobsOf = <N extends (typeof JOB)[keyof typeof JOB]>(name: N) =>
    queues.of(name).map((job) => job.data);

  beforeEach(() => {
    clock = new StoppedClock(AT);
    deliveries = new FakeDeliveryTable(clock);
    outbox = new FakeOutbox();
    queues = new FakeQueues();
    reconciler = new Reconciler(outbox.port, deliveries.port, queues.port, clock, loadConfig({}));
  });

  it('gives a fan-out relayed long ago and never finished its job again, and leaves a recent one alone', async () => {
    outbox.add('evt_lost', { relayedAt: AT });
    outbox.add('evt_recent', { relayedAt: later(LOST_AFTER_MS) });
    outbox.add('evt_done', { relayedAt: AT, fannedOutAt: later(1000) });
    clock.at = later(LOST_AFTER_MS + 1000);

    expect(await reconciler.reconcile(LOST_AFTER_MS)).toEqual({ fanOuts: 1, deliveries: 0 });
    expect(jobsOf(JOB.fanOut)).toEqual([{ eventId: 'evt_lost' }]);
  });

  it('re-adds, after Redis lost every job, each first attempt of a fan-out as a job of its own', async () => {
    outbox.add('evt_1', { relayedAt: AT, fannedOutAt: AT });
    deliveries.subscribers.webhook = ['whk_1', 'whk_2'];
    await deliveries.createPage('webhook', 'evt_1', [], '', 10);
    clock.at = later(LOST_AFTER_MS + 1);

    expect(await reconciler.reconcile(LOST_AFTER_MS)).toEqual({ fanOuts: 0, deliveries: 2 });
    expect(jobsOf(JOB.deliverOne)).toEqual([
      { deliveryId: 'dlv_evt_1_whk_1', attempt: 1 },
      { deliveryId: 'dlv_evt_1_whk_2', attempt: 1 },
    ]);
  });

  it('leaves first attempts to a fan-out job still waiting or running, which makes a small one itself', async () => {
    outbox.add('evt_1', { relayedAt: AT, fannedOutAt: AT });
    deliveries.subscribers.webhook = ['whk_1'];
    await deliveries.createPage('webhook', 'evt_1', [], '', 10);
    queues.busy.add(JOB.fanOut);
    clock.at = later(LOST_AFTER_MS + 1);

    expect(await reconciler.reconcile(LOST_AFTER_MS)).toEqual({ fanOuts: 0, deliveries: 0 });
    expect(queues.jobs.size).toBe(0);
  });

  it('leaves first attempts to the batches while the queue still holds work that may carry them', async () => {
    outbox.add('evt_1', { relayedAt: AT, fannedOutAt: AT });
    deliveries.subscribers.webhook = ['whk_1'];
    await deliveries.createPage('webhook', 'evt_1', [], '', 10);
    queues.drainedAnswer = false;
    clock.at = later(LOST_AFTER_MS + 1);

    expect(await reconciler.reconcile(LOST_AFTER_MS)).toEqual({ fanOuts: 0, deliveries: 0 });
    expect(queues.jobs.size).toBe(0);
  });

  it('re-adds a retry long overdue as its next attempt, whatever else the queue holds', async () => {
    outbox.add('evt_1', { relayedAt: AT, fannedOutAt: AT });
    deliveries.subscribers.webhook = ['whk_1', 'whk_2'];
    await deliveries.createPage('webhook', 'evt_1', [], '', 10);
    const [overdue, waiting] = deliveries.rows;
    Object.assign(overdue, { attempts: 2, nextAttemptAt: later(1000) });
    Object.assign(waiting, { attempts: 1, nextAttemptAt: later(10 * LOST_AFTER_MS) });
    queues.drainedAnswer = false;
    clock.at = later(LOST_AFTER_MS + 2000);

    expect(await reconciler.reconcile(LOST_AFTER_MS)).toEqual({ fanOuts: 0, deliveries: 1 });
    expect(jobsOf(JOB.deliverOne)).toEqual([{ deliveryId: overdue.id, attempt: 3 }]);
  });
});
