import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { DatabaseModule } from '@tocsin/database';
import { DeclarationsModule } from '@tocsin/declarations';
import { DeliveryModule } from '@tocsin/delivery';
import { IngestModule } from '@tocsin/ingest';
import { MetricsModule } from '@tocsin/metrics';
import { QueueModule } from '@tocsin/queue';
import { SmsModule } from '@tocsin/sms';
import { QueueWorkers } from './queue-workers';

/** The queue face. The process that hosts it brings ConfigModule and LoggerModule. */
@Module({
  imports: [
    DatabaseModule,
    AuditModule,
    QueueModule,
    MetricsModule,
    DeliveryModule,
    IngestModule,
    DeclarationsModule,
    SmsModule,
  ],
  providers: [QueueWorkers],
})
export class WorkerModule {}
