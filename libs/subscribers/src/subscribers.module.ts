import { Module } from '@nestjs/common';
import { MailModule } from '@tocsin/mail';
import { SchemesModule } from '@tocsin/schemes';
import { AudienceRepository } from './audience.repository';
import { ClientRateLimit } from './client-rate-limit';
import { EmailSubscriptionsRepository } from './email-subscriptions.repository';
import { EmailSubscriptionsService } from './email-subscriptions.service';
import { FilterInputs } from './filter-input';
import { InstanceSecrets } from './instance-secrets';

@Module({
  imports: [SchemesModule, MailModule],
  providers: [
    FilterInputs,
    InstanceSecrets,
    EmailSubscriptionsRepository,
    EmailSubscriptionsService,
    ClientRateLimit,
    AudienceRepository,
  ],
  exports: [FilterInputs, EmailSubscriptionsService, ClientRateLimit, AudienceRepository],
})
export class SubscribersModule {}
