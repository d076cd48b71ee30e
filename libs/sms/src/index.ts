export type { SmsInbound } from './smpp-deliver';
export type { SmsReceipt } from './smpp-receipt';
export { SmsSendError } from './smpp-status';
export { decodeSmsParts, segmentSms, smsEncodingOf, SmsEncoding, smsSizeOf } from './sms-text';
export { SMPP_SESSION_OPTIONS, SmsSubmitted, SmsTransport } from './sms-transport';
export { SmsModule } from './sms.module';
