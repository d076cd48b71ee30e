import { Module } from '@nestjs/common';
import { SubscribersModule } from '@tocsin/subscribers';
import { InstanceSecrets } from '../../subscribers/src/instance-secrets';
import { InstanceSecretsRepository } from '../../subscribers/src/instance-secrets.repository';
import { SmsCodeSender } from './sms-code-sender';
import { SmsInbox } from './sms-inbox';
import { SmsSubscriptionsRepository } from './sms-subscriptions.repository';
import { SmsSubscriptionsService } from './sms-subscriptions.service';
import { SmsTransport } from './sms-transport';

/**
 * SMS subscriptions as the API needs them: sign-up, confirmation, the admin's acts. Nothing here binds to the
 * SMSC; the codes are texted by the worker.
 */
@Module({
  imports: [SubscribersModule],
  providers: [
    // Until SubscribersModule exports InstanceSecrets (see the report of issue 17): the same secrets, read
    // from the same table.
    InstanceSecretsRepository,
    InstanceSecrets,
    SmsSubscriptionsRepository,
    SmsSubscriptionsService,
  ],
  exports: [SmsSubscriptionsService, SmsSubscriptionsRepository, InstanceSecrets],
})
export class SmsSubscriptionsModule {}

/**
 * The SMS transport and the worker's SMS duties (texting codes, answering STOP). Importing it binds nothing:
 * the worker calls `SmsTransport.start()` and `SmsInbox.start()`.
 */
@Module({
  imports: [SmsSubscriptionsModule],
  providers: [SmsTransport, SmsCodeSender, SmsInbox],
  exports: [SmsTransport, SmsCodeSender, SmsInbox],
})
export class SmsModule {}
