import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AuditLogRepository, SYSTEM_ACTOR } from '@tocsin/audit';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { JOB, JobQueues, KeptJobScheduler } from '@tocsin/queue';
import { TRIP_CHANNELS, TripChannel, TripsRepository } from './trips.repository';

/** Trips ended, and summaries enqueued, per sweep at most: the next sweep takes the rest. */
const PAGE = 1000;

const TARGET: Record<TripChannel, 'email_subscription' | 'sms_subscription'> = {
  email: 'email_subscription',
  sms: 'sms_subscription',
};

/** What one sweep did. */
export interface TripSweep {
  ended: number;
  summariesQueued: number;
}

/**
 * The trips' clock (DESIGN.md §5.6): a BullMQ job scheduler runs a sweep every TRIP_CLOCK_SECONDS, which
 * ends the trips that are over (status `ended`, audited as the system's act) and enqueues one job per owed
 * summary (its id the subscription's, so a summary is queued once however many sweeps find it). The rows say
 * what is owed: a sweep lost with a worker or with Redis is made good by the next, and the scheduler itself
 * is upserted again now and then, lest a Redis restarted empty leave no clock at all.
 */
@Injectable()
export class TripClock implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TripClock.name);
  private readonly scheduler: KeptJobScheduler;

  constructor(
    private readonly trips: TripsRepository,
    private readonly audit: AuditLogRepository,
    private readonly queues: JobQueues,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.scheduler = new KeptJobScheduler(queues, JOB.tripClock, config.tripClockSeconds * 1000, (error) =>
      this.logger.warn(`could not schedule the trip clock: ${describeError(error)}`),
    );
  }

  /** Puts the clock's scheduler in place, and keeps it there (KeptJobScheduler). */
  async start(): Promise<void> {
    await this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler.stop();
  }

  async sweep(): Promise<TripSweep> {
    const now = this.clock.now();
    let ended = 0;
    for (const channel of TRIP_CHANNELS) {
      const ids = await this.trips.transaction(async (tx) => {
        const over = await this.trips.endOverTrips(channel, now, PAGE, tx);
        for (const id of over)
          await this.audit.append(
            {
              at: now,
              actor: SYSTEM_ACTOR,
              action: 'subscriber.ended',
              target: { type: TARGET[channel], id },
              details: { status: 'ended' },
            },
            tx,
          );
        return over;
      });
      for (const id of ids) this.logger.log(`subscription ${id}: trip over, ended`);
      ended += ids.length;
    }
    const owed = await this.trips.owedSummaries(now, PAGE);
    await this.queues.addBulk(
      JOB.sendTripSummary,
      owed.map((data) => ({ data })),
    );
    return { ended, summariesQueued: owed.length };
  }
}
