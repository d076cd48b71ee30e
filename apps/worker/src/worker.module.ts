import { Module } from '@nestjs/common';
import { DatabaseModule } from '@tocsin/database';
import { DeliveryModule } from '@tocsin/delivery';
import { QueueModule } from '@tocsin/queue';
import { QueueWorkers } from './queue-workers';

/** The queue face. The process that hosts it brings ConfigModule and LoggerModule. */
@Module({
  imports: [DatabaseModule, QueueModule, DeliveryModule],
  providers: [QueueWorkers],
})
export class WorkerModule {}
