import { Module } from '@nestjs/common';
import { AnnouncedEventsRepository } from './announced-events.repository';
import { LiveEvents } from './live-events.service';
import { StreamService } from './stream.service';

/**
 * The live stream of `threat_level.changed` events (SSE). Opens one Redis subscriber per process; AppConfig,
 * the database and the Redis connection come from the global modules of the process that hosts it.
 */
@Module({
  providers: [AnnouncedEventsRepository, LiveEvents, StreamService],
  exports: [StreamService],
})
export class StreamModule {}
