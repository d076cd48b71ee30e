import { Logger } from '@nestjs/common';
import type { AppConfig } from '@tocsin/config';
import { connectRedis, liveEventsChannel } from '@tocsin/queue';
import type Redis from 'ioredis';
import type { AnnouncedEvent } from './catch-up';
import { LiveEvents } from './live-events.service';
import { announcedEvent } from './testing/announced-event';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Polls until `condition` holds, for what arrives through Redis. */
async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 3000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('LiveEvents on Redis', () => {
  const queuePrefix = `tocsin-test-live-${process.pid}-${Date.now()}`;
  const channel = liveEventsChannel(queuePrefix);
  let redis: Redis;
  let live: LiveEvents;
  const received: AnnouncedEvent[] = [];
  let interruptions = 0;

  /** The subscriber's connection as Redis lists it, if open. */
  const subscriberConnection = async () =>
    String(await redis.client('LIST'))
      .split('\n')
      .find((line) => line.includes(` name=${queuePrefix}:live-events `));

  beforeAll(async () => {
    Logger.overrideLogger(false); // the stray message and the dropped connection are logged, on purpose
    redis = await connectRedis(REDIS_URL);
    live = new LiveEvents(redis, { queuePrefix } as AppConfig);
    await live.onModuleInit();
    live.listen({ announced: (event) => received.push(event), interrupted: () => interruptions++ });
  });
  afterAll(() => {
    live?.onApplicationShutdown();
    redis?.disconnect();
  });

  it('hands every listener what the relay publishes, parsed, and ignores anything else', async () => {
    const other: AnnouncedEvent[] = [];
    const stop = live.listen({ announced: (event) => other.push(event), interrupted: () => undefined });
    await redis.publish(channel, 'not an event');
    await redis.publish(channel, JSON.stringify(announcedEvent(1)));
    await redis.publish(channel, JSON.stringify(announcedEvent(2, ['GB'])));
    await eventually(() => received.length === 2 && other.length === 2, 'two events to each listener');
    expect(received).toEqual([announcedEvent(1), announcedEvent(2, ['GB'])]);
    stop();
    await redis.publish(channel, JSON.stringify(announcedEvent(3)));
    await eventually(() => received.length === 3, 'the third event');
    expect(other).toHaveLength(2);
  });

  it('subscribes again after its connection drops, and tells listeners they may have missed events', async () => {
    const line = await subscriberConnection();
    expect(line).toBeDefined();
    await redis.client('KILL', 'ID', /\bid=(\d+)/.exec(line!)![1]);
    await eventually(() => interruptions === 1, 'the interruption');
    received.length = 0;
    await redis.publish(channel, JSON.stringify(announcedEvent(4)));
    await eventually(() => received.length === 1, 'an event after the reconnection');
    expect(received[0].position).toBe(4);
  });

  it('closes its connection at shutdown', async () => {
    expect(await subscriberConnection()).toBeDefined();
    live.onApplicationShutdown();
    await eventually(async () => (await subscriberConnection()) === undefined, 'the connection to close');
  });
});
