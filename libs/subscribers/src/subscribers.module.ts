import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { MailModule } from '@tocsin/mail';
import { SchemesModule } from '@tocsin/schemes';
import { AudienceModule } from './audience.module';
import { ClientRateLimit } from './client-rate-limit';
import { EmailSubscriptionsRepository } from './email-subscriptions.repository';
import { EmailSubscriptionsService } from './email-subscriptions.service';
import { FilterInputs } from './filter-input';
import { InstanceSecrets } from './instance-secrets';
import { InstanceSecretsRepository } from './instance-secrets.repository';

@Module({
  imports: [AuditModule, SchemesModule, MailModule, AudienceModule],
  providers: [
    FilterInputs,
    InstanceSecretsRepository,
    InstanceSecrets,
    EmailSubscriptionsRepository,
    EmailSubscriptionsService,
    ClientRateLimit,
  ],
  exports: [FilterInputs, InstanceSecrets, EmailSubscriptionsService, ClientRateLimit, AudienceModule],
})
export class SubscribersModule {}
