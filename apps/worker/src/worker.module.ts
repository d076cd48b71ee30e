import { Module } from '@nestjs/common';
import { DatabaseModule } from '@tocsin/database';
import { DeliveryModule } from '@tocsin/delivery';
import { MetricsModule } from '@tocsin/metrics';
import { QueueModule } from '@tocsin/queue';
import { QueueWorkers } from './queue-workers';

/** The queue face. The process that hosts it brings ConfigModule and LoggerModule. */
@Module({
  imports: [DatabaseModule, QueueModule, MetricsModule, DeliveryModule],
  providers: [QueueWorkers],
})
export class WorkerModule {}
