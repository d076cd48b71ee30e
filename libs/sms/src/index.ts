export type { SmsInbound } from './smpp-deliver';
export type { SmsReceipt } from './smpp-receipt';
export { SmsSendError } from './smpp-status';
export { CodeSendOutcome, SmsCodeSender } from './sms-code-sender';
export { isStopReply, SmsInbox } from './sms-inbox';
export { SmsModule, SmsSubscriptionsModule } from './sms.module';
export {
  SMS_SUBSCRIPTION_STATUSES,
  SmsSubscription,
  SmsSubscriptionStatus,
} from './sms-subscriptions.repository';
export {
  E164_PHONE,
  SmsNumberLocked,
  SmsSignUpSettings,
  SmsSignUpWishes,
  SmsSubscriptionsService,
} from './sms-subscriptions.service';
export type { SegmentedSms, SmsEncoding, SmsPart } from './sms-text';
export { decodeSmsParts, segmentSms, smsEncodingOf, smsSizeOf } from './sms-text';
export { SMPP_SESSION_OPTIONS, SMS_MAX_PARTS, SmsSubmitted, SmsTransport } from './sms-transport';
