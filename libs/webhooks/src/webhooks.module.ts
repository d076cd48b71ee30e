import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { AppConfig } from '@tocsin/config';
import { SubscribersModule } from '@tocsin/subscribers';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender } from './webhook-sender';

@Module({
  imports: [AuditModule, SubscribersModule],
  providers: [
    WebhookEndpointsRepository,
    WebhookEndpointsService,
    WebhookSecrets,
    {
      provide: WebhookSender,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        new WebhookSender({ allowPrivate: config.webhookAllowPrivate, timeoutMs: config.webhookTimeoutMs }),
    },
  ],
  exports: [WebhookEndpointsService, WebhookSecrets, WebhookSender],
})
export class WebhooksModule {}
