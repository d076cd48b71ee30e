import { Module } from '@nestjs/common';
import { DeclarationsModule } from '@tocsin/declarations';
import { MailModule } from '@tocsin/mail';
import { SchemesModule } from '@tocsin/schemes';
import { SubscribersModule } from '@tocsin/subscribers';
import { WebhooksModule } from '@tocsin/webhooks';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryLogService } from './delivery-log.service';
import { DeliveryService } from './delivery.service';
import { FanOutService } from './fan-out.service';
import { OutboxRelay } from './outbox-relay.service';
import { Reconciler } from './reconciler.service';

@Module({
  imports: [DeclarationsModule, MailModule, SchemesModule, SubscribersModule, WebhooksModule],
  providers: [
    DeliveriesRepository,
    DeliveryService,
    DeliveryLogService,
    FanOutService,
    OutboxRelay,
    Reconciler,
  ],
  exports: [
    DeliveriesRepository,
    DeliveryService,
    DeliveryLogService,
    FanOutService,
    OutboxRelay,
    Reconciler,
  ],
})
export class DeliveryModule {}
