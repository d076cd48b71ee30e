import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { JOB, JobQueues, liveEventsChannel, REDIS } from '@tocsin/queue';
import type Redis from 'ioredis';
import { AnnouncedOutboxEvent, OutboxRepository } from './outbox.repository';

/**
 * Hands the events an act made due now on as soon as its transaction commits, as a relay would: the fan-out
 * job, the outbox's relayed mark and the live announcement. An alert's fan-out then waits for no relay to
 * be woken and read it back (about 3 ms of its path), and the relays find nothing left to do. Best effort:
 * whatever fails here (Redis away, the process killed) a relay still does (OutboxRelay); the job id is the
 * event id, and only who marks an event relayed announces it, so neither is done twice.
 */
@Injectable()
export class EventHandOff {
  private readonly logger = new Logger(EventHandOff.name);

  constructor(
    private readonly queues: JobQueues,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Not awaited by the act: a queue or database that is away is logged, never the publisher's error. */
  handOff(events: readonly AnnouncedOutboxEvent[]): void {
    if (!events.length) return;
    const ids = events.map(({ event }) => event.data.eventId);
    this.queues
      // A new event's job cannot have finished: no look for a finished one on the alert's path.
      .addNew(
        JOB.fanOut,
        ids.map((eventId) => ({ data: { eventId } })),
      )
      .then(() => this.relayed(events))
      .catch((error: unknown) => {
        this.logger.warn(`could not hand ${ids.join(', ')} on (a relay will): ${describeError(error)}`);
      });
  }

  /**
   * Marks events whose fan-out jobs are in the queue relayed, and announces those it marked to live
   * consumers (the SSE stream of every API process; one that misses a message catches up from the
   * database). The stream is public: an exercise or test reaches only the subscribers who opted into them.
   */
  async relayed(events: readonly AnnouncedOutboxEvent[]): Promise<void> {
    const marked = new Set(
      await this.outbox.markRelayed(
        events.map(({ event }) => event.data.eventId),
        this.clock.now(),
      ),
    );
    const channel = liveEventsChannel(this.config.queuePrefix);
    for (const message of events) {
      if (!marked.has(message.event.data.eventId) || message.event.type === 'threat_level.exercise') continue;
      await this.redis.publish(channel, JSON.stringify(message)).catch((error: Error) => {
        this.logger.warn(`could not announce event ${message.event.data.eventId} live: ${error.message}`);
      });
    }
  }
}
