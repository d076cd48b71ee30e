import { Injectable, Logger } from '@nestjs/common';
import { describeError } from '@tocsin/config';
import { JOB, JobQueues } from '@tocsin/queue';

/**
 * Hands the events an act made due now to the queue as soon as its transaction commits, so that their
 * fan-out does not wait for a relay to be woken and read them back (about 3 ms of an alert's path).
 * Best effort: the relay still relays every due event and is what delivers it if Redis is away now; the
 * job id is the event id, so its add of a job still waiting or running is a no-op, and it does not add an
 * event already fanned out (OutboxRelay).
 */
@Injectable()
export class FanOutHandOff {
  private readonly logger = new Logger(FanOutHandOff.name);

  constructor(private readonly queues: JobQueues) {}

  /** Not awaited by the act: a queue that is away is logged, never the publisher's error. */
  handOff(eventIds: readonly string[]): void {
    if (!eventIds.length) return;
    this.queues
      .addNew(
        JOB.fanOut,
        eventIds.map((eventId) => ({ data: { eventId } })),
      )
      .catch((error: unknown) => {
        this.logger.warn(
          `could not hand ${eventIds.join(', ')} to the queue (the relay will): ${describeError(error)}`,
        );
      });
  }
}
