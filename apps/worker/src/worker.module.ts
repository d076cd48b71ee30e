import { Module } from '@nestjs/common';
import { DatabaseModule } from '@tocsin/database';
import { QueueModule } from '@tocsin/queue';

/**
 * The queue face. It holds the database and Redis connections that the processors (outbox relay, fan-out,
 * delivery, timers) will use; those arrive with the delivery work. The process that hosts it brings ConfigModule and LoggerModule.
 */
@Module({
  imports: [DatabaseModule, QueueModule],
})
export class WorkerModule {}
