import { MetricsService } from '@tocsin/metrics';
import { JOB } from '@tocsin/queue';
import { DELIVERY_BATCH, FAN_OUT_PAGE, FanOutService, SENT_BY_FAN_OUT } from './fan-out.service';
import { FakeBatchSender, FakeDeliveryTable, FakeOutbox, FakeQueues, StoppedClock } from './testing/fakes';

const AT = new Date('2022-01-07T09:00:00Z');
/** `n` subscriber ids that sort as they count. */
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}_${String(i).padStart(5, '0')}`);

describe('FanOutService', () => {
  let clock: StoppedClock;
  let deliveries: FakeDeliveryTable;
  let outbox: FakeOutbox;
  let queues: FakeQueues;
  let sender: FakeBatchSender;
  let fanOut: FanOutService;
  const batches = () => queues.of(JOB.deliverBatch).map((job) => job.data.deliveryIds);

  beforeEach(() => {
    clock = new StoppedClock(AT);
    outbox = new FakeOutbox().add('evt_1');
    deliveries = new FakeDeliveryTable(clock, outbox);
    queues = new FakeQueues();
    sender = new FakeBatchSender(deliveries);
    fanOut = new FanOutService(
      deliveries.port,
      outbox.port,
      queues.port,
      sender.port,
      clock,
      new MetricsService(queues.port),
    );
  });

  it('creates the rows a page at a time, and a batch job per hundred first attempts within each page', async () => {
    deliveries.subscribers.webhook = ids('whk', 2 * FAN_OUT_PAGE + 50);
    deliveries.subscribers.email = ids('sub', 30);

    expect(await fanOut.fanOut('evt_1')).toEqual({ deliveries: 2080, batches: 22, sent: 0 });

    expect(deliveries.rows).toHaveLength(2080);
    expect(batches().map((batch) => batch.length)).toEqual([...Array(20).fill(DELIVERY_BATCH), 50, 30]);
    expect(new Set(batches().flat())).toEqual(new Set(deliveries.rows.map((r) => r.id)));
    expect(outbox.events.get('evt_1')?.fannedOutAt).toEqual(AT);
    expect(sender.batches).toEqual([]);
  });

  it('fans out nothing for an event with no changes: not rendered yet, or not there', async () => {
    outbox.add('evt_later', { changes: [] });
    deliveries.subscribers.webhook = ids('whk', 3);

    expect(await fanOut.fanOut('evt_later')).toEqual({ deliveries: 0, batches: 0, sent: 0 });
    expect(await fanOut.fanOut('evt_unknown')).toEqual({ deliveries: 0, batches: 0, sent: 0 });

    expect(deliveries.rows).toEqual([]);
    expect(queues.jobs.size).toBe(0);
    expect(outbox.events.get('evt_later')?.fannedOutAt).toBeNull();
  });

  it('adds no second job when run again while its batches still wait', async () => {
    deliveries.subscribers.webhook = ids('whk', 250);
    await fanOut.fanOut('evt_1');
    const first = [...queues.jobs.keys()];

    await fanOut.fanOut('evt_1');

    expect(deliveries.rows).toHaveLength(250);
    expect([...queues.jobs.keys()]).toEqual(first);
  });

  it('run again after the queue lost its jobs, makes no second row and sends only what was not attempted', async () => {
    deliveries.subscribers.webhook = ids('whk', 250);
    await fanOut.fanOut('evt_1');
    queues.loseAll();
    // The first batch was sent before Redis went; the other two were lost with it.
    for (const row of deliveries.rows.slice(0, DELIVERY_BATCH)) {
      row.status = 'delivered';
      row.attempts = 1;
    }

    expect(await fanOut.fanOut('evt_1')).toEqual({ deliveries: 150, batches: 2, sent: 0 });

    expect(deliveries.rows).toHaveLength(250);
    expect(batches().flat()).toEqual(deliveries.rows.slice(DELIVERY_BATCH).map((r) => r.id));
  });

  it(`makes the first attempts of a fan-out of at most ${SENT_BY_FAN_OUT} itself, once every row is written`, async () => {
    deliveries.subscribers.webhook = ids('whk', SENT_BY_FAN_OUT - 30);
    deliveries.subscribers.email = ids('sub', 30);

    expect(await fanOut.fanOut('evt_1')).toEqual({ deliveries: 100, batches: 0, sent: 100 });

    expect(sender.batches).toEqual([deliveries.rows.map((r) => r.id)]);
    expect(deliveries.rows.every((r) => r.status === 'delivered')).toBe(true);
    expect(queues.jobs.size).toBe(0);
    expect(outbox.events.get('evt_1')?.fannedOutAt).toEqual(AT);
  });

  it(`hands a fan-out of more than ${SENT_BY_FAN_OUT} first attempts to batch jobs, sending none itself`, async () => {
    deliveries.subscribers.webhook = ids('whk', SENT_BY_FAN_OUT - 29);
    deliveries.subscribers.email = ids('sub', 30);

    expect(await fanOut.fanOut('evt_1')).toEqual({ deliveries: 101, batches: 2, sent: 0 });

    expect(sender.batches).toEqual([]);
    expect(batches().flat()).toEqual(deliveries.rows.map((r) => r.id));
    expect(batches().map((batch) => batch.length)).toEqual([DELIVERY_BATCH, 1]);
  });

  it('dying while it sends leaves the rows pending and the event not fanned out; run again, it makes only the attempts not written back', async () => {
    deliveries.subscribers.webhook = ids('whk', 5);
    sender.dies = true;

    await expect(fanOut.fanOut('evt_1')).rejects.toThrow('the worker died while sending');
    expect(deliveries.rows.map((r) => r.status)).toEqual(Array(5).fill('pending'));
    expect(outbox.events.get('evt_1')?.fannedOutAt).toBeNull();

    // The first was written back before the worker died.
    Object.assign(deliveries.rows[0], { status: 'delivered', attempts: 1 });
    sender.dies = false;
    expect(await fanOut.fanOut('evt_1')).toEqual({ deliveries: 4, batches: 0, sent: 4 });

    expect(deliveries.rows).toHaveLength(5);
    expect(sender.batches.at(-1)).toEqual(deliveries.rows.slice(1).map((r) => r.id));
    expect(outbox.events.get('evt_1')?.fannedOutAt).toEqual(AT);
  });
});
