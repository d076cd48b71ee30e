import { Module } from '@nestjs/common';
import { DeclarationsModule } from '@tocsin/declarations';
import { MailModule } from '@tocsin/mail';
import { SchemesModule } from '@tocsin/schemes';
import { SmsModule, SmsSubscriptionsModule } from '@tocsin/sms';
import { SubscribersModule } from '@tocsin/subscribers';
import { WebhooksModule } from '@tocsin/webhooks';
import { DELIVERY_CHANNELS, DeliveryChannels } from './channel';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryLogService } from './delivery-log.service';
import { DeliveryService } from './delivery.service';
import { EmailBounces } from './email-bounces.service';
import { EmailChannel } from './email-channel';
import { EndpointHealthService } from './endpoint-health.service';
import { FanOutService } from './fan-out.service';
import { OutboxRelay } from './outbox-relay.service';
import { Reconciler } from './reconciler.service';
import { SmsChannel } from './sms-channel';
import { SmsPartsRepository } from './sms-parts.repository';
import { SmsReceipts } from './sms-receipts.service';
import { DigestService } from './digest.service';
import { DigestsRepository } from './digests.repository';
import { TripClock } from './trip-clock.service';
import { TripSummaries } from './trip-summaries.service';
import { TripsRepository } from './trips.repository';
import { WebhookChannel } from './webhook-channel';

@Module({
  imports: [
    DeclarationsModule,
    MailModule,
    SchemesModule,
    SmsModule,
    SmsSubscriptionsModule,
    SubscribersModule,
    WebhooksModule,
  ],
  providers: [
    DeliveriesRepository,
    WebhookChannel,
    EmailChannel,
    SmsChannel,
    SmsPartsRepository,
    SmsReceipts,
    {
      provide: DELIVERY_CHANNELS,
      inject: [WebhookChannel, EmailChannel, SmsChannel],
      useFactory: (webhook: WebhookChannel, email: EmailChannel, sms: SmsChannel): DeliveryChannels => ({
        webhook,
        email,
        sms,
      }),
    },
    EndpointHealthService,
    EmailBounces,
    DeliveryService,
    DeliveryLogService,
    FanOutService,
    OutboxRelay,
    Reconciler,
    TripsRepository,
    TripSummaries,
    TripClock,
    DigestsRepository,
    DigestService,
  ],
  exports: [
    DeliveryService,
    DeliveryLogService,
    FanOutService,
    OutboxRelay,
    Reconciler,
    TripClock,
    TripSummaries,
    DigestService,
  ],
})
export class DeliveryModule {}
