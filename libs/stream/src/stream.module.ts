import { Module } from '@nestjs/common';
import { DeclarationsModule } from '@tocsin/declarations';
import { LiveEvents } from './live-events.service';
import { StreamService } from './stream.service';

/**
 * The live stream of `threat_level.changed` events (SSE). Opens one Redis subscriber per process; AppConfig,
 * the database and the Redis connection come from the global modules of the process that hosts it. What a
 * resuming client missed is read from the outbox, through its owner's repository.
 */
@Module({
  imports: [DeclarationsModule],
  providers: [LiveEvents, StreamService],
  exports: [StreamService],
})
export class StreamModule {}
