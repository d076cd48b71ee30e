import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AuthGuard, AuthModule } from '@tocsin/auth';
import { AuditModule } from '@tocsin/audit';
import { DatabaseModule } from '@tocsin/database';
import { DeclarationsModule } from '@tocsin/declarations';
import { DeliveryModule } from '@tocsin/delivery';
import { FeedsModule } from '@tocsin/feeds';
import { IngestModule } from '@tocsin/ingest';
import { MetricsModule } from '@tocsin/metrics';
import { QueueModule } from '@tocsin/queue';
import { SchemesModule } from '@tocsin/schemes';
import { SmsSubscriptionsModule } from '@tocsin/sms';
import { StreamModule } from '@tocsin/stream';
import { SubscribersModule } from '@tocsin/subscribers';
import { WebhooksModule } from '@tocsin/webhooks';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AreasController } from './areas/areas.controller';
import { DeclarationsController } from './declarations/declarations.controller';
import { DeclarationDeliveriesController } from './deliveries/declaration-deliveries.controller';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { FeedsController } from './feeds/feeds.controller';
import { EmailSubscriptionsController } from './email-subscriptions/email-subscriptions.controller';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { LevelsController } from './levels/levels.controller';
import { MetricsController } from './metrics/metrics.controller';
import { SchemesController } from './schemes/schemes.controller';
import { SmsSubscriptionsController } from './sms-subscriptions/sms-subscriptions.controller';
import { SourcesController } from './sources/sources.controller';
import { StreamController } from './stream/stream.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

/** The HTTP face. The process that hosts it brings ConfigModule and LoggerModule (see `hostModule`). */
@Module({
  imports: [
    DatabaseModule,
    AuditModule,
    QueueModule,
    TerminusModule.forRoot({ logger: false }),
    AuthModule,
    SchemesModule,
    DeclarationsModule,
    FeedsModule,
    SubscribersModule,
    SmsSubscriptionsModule,
    WebhooksModule,
    DeliveryModule,
    StreamModule,
    MetricsModule,
    IngestModule,
  ],
  controllers: [
    HealthController,
    AreasController,
    SchemesController,
    LevelsController,
    DeclarationsController,
    ApiKeysController,
    FeedsController,
    EmailSubscriptionsController,
    SmsSubscriptionsController,
    WebhooksController,
    DeliveriesController,
    DeclarationDeliveriesController,
    StreamController,
    MetricsController,
    SourcesController,
    AuditController,
  ],
  providers: [
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class ApiModule {}
