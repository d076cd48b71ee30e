import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { translate, uiLanguageOf } from '@tocsin/i18n';
import { JobData } from '@tocsin/queue';
import { InstanceSecrets, readerOf } from '@tocsin/subscribers';
import { SmsSendError } from './smpp-status';
import { CODE_VALID_MS, hashCode, newCode } from './sms-codes';
import { SmsSubscription, SmsSubscriptionsRepository } from './sms-subscriptions.repository';
import { SMS_CODE_SECRET } from './sms-subscriptions.service';
import { SmsTransport } from './sms-transport';

export type CodeSendOutcome = 'sent' | 'skipped' | 'failed';

/**
 * The worker's half of SMS sign-up (JOB.sendSmsCode): makes the code, stores its hash and texts it; a number
 * already confirmed is told so instead. The row is the truth: a request replaced by a later one, or a number
 * no longer pending, is skipped. A transient send error throws, for BullMQ to retry with a fresh code.
 */
@Injectable()
export class SmsCodeSender {
  private readonly logger = new Logger(SmsCodeSender.name);

  constructor(
    private readonly repository: SmsSubscriptionsRepository,
    private readonly secrets: InstanceSecrets,
    private readonly transport: SmsTransport,
    private readonly config: AppConfig,
  ) {}

  async send(data: JobData['send-sms-code']): Promise<CodeSendOutcome> {
    const requestedAt = new Date(data.requestedAt);
    const subscription = await this.repository.findById(data.subscriptionId);
    if (!subscription || !sameMillisecond(subscription.codeSentAt, requestedAt)) return 'skipped';
    const text = await this.textFor(subscription, requestedAt);
    if (text === null) return 'skipped';
    try {
      await this.transport.submit(subscription.phone, text);
    } catch (error) {
      if (error instanceof SmsSendError && !error.transient) {
        this.logger.warn(`the code for subscription ${subscription.id} was refused: ${error.message}`);
        return 'failed';
      }
      throw error;
    }
    this.logger.log(`code texted to subscription ${subscription.id}`);
    return 'sent';
  }

  private async textFor(subscription: SmsSubscription, requestedAt: Date): Promise<string | null> {
    const ui = readerOf(subscription.language, uiLanguageOf(this.config.defaultLanguage, 'en')).ui;
    if (subscription.status === 'confirmed') return translate(ui, 'sms-subscriber.alreadySubscribed');
    if (subscription.status !== 'pending') return null;
    const code = newCode();
    const secret = await this.secrets.get(SMS_CODE_SECRET);
    // A new request replaced the old code already (claimCodeSlot); storing is refused if a later one came.
    if (
      !(await this.repository.storeCode(
        subscription.id,
        requestedAt,
        hashCode(secret, subscription.id, code),
      ))
    )
      return null;
    return translate(ui, 'sms-subscriber.code', { code, minutes: CODE_VALID_MS / 60_000 });
  }
}

function sameMillisecond(stored: Date | null, requestedAt: Date): boolean {
  return stored !== null && stored.getTime() === requestedAt.getTime();
}
