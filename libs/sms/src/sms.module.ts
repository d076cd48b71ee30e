import { Module } from '@nestjs/common';
import { SubscribersModule } from '@tocsin/subscribers';
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
  providers: [SmsSubscriptionsRepository, SmsSubscriptionsService],
  exports: [SmsSubscriptionsService, SmsSubscriptionsRepository],
})
export class SmsSubscriptionsModule {}

/**
 * The SMS transport and the worker's SMS duties (texting codes, answering STOP). Importing it binds nothing:
 * the worker calls `SmsTransport.start()` and `SmsInbox.start()`.
 */
@Module({
  imports: [SubscribersModule, SmsSubscriptionsModule],
  providers: [SmsTransport, SmsCodeSender, SmsInbox],
  exports: [SmsTransport, SmsCodeSender, SmsInbox],
})
export class SmsModule {}
