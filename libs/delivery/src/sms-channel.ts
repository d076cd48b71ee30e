import { Injectable } from '@nestjs/common';
import { AppConfig, describeError } from '@tocsin/config';
import { UiLanguage, uiLanguageOf } from '@tocsin/i18n';
import { SchemesService } from '@tocsin/schemes';
import { SmsSendError, SmsTransport } from '@tocsin/sms';
import { alertSms } from './alert-sms';
import { AttemptResult, Channel } from './channel';
import type { SmsDeliveryToSend } from './deliveries.repository';
import { oncePerEvent } from './per-event';
import { changesFor } from './subscriber-changes';

/**
 * Alerts by SMS over the worker's SMPP bind. An SMSC that takes the text makes the delivery `sent`, its
 * parts written with the batch's outcomes (DeliveriesRepository.record); its delivery receipts (SmsReceipts)
 * then make it delivered or failed. A refusal the SMSC calls temporary (throttled, its queue full, the bind
 * lost) is retried on the schedule; any other fails the delivery.
 */
@Injectable()
export class SmsChannel implements Channel<'sms'> {
  /** The scheme of each event being sent, read once per batch. */
  private readonly schemeOf = oncePerEvent((payload) =>
    this.schemesService.get(payload.data.declaration.scheme),
  );
  /** Each event's texts by language and the areas a subscriber's filter kept, rendered once per batch. */
  private readonly textsOf = oncePerEvent(() => new Map<string, string>());
  private readonly fallbackLanguage: UiLanguage;
  private readonly publicUrl: string;

  constructor(
    private readonly transport: SmsTransport,
    private readonly schemesService: SchemesService,
    config: AppConfig,
  ) {
    this.fallbackLanguage = uiLanguageOf(config.defaultLanguage, 'en');
    this.publicUrl = config.publicUrl.replace(/\/+$/, '');
  }

  accepts(row: SmsDeliveryToSend): boolean {
    return row.subscription.status === 'confirmed';
  }

  async send(row: SmsDeliveryToSend): Promise<AttemptResult> {
    const started = performance.now();
    try {
      const submitted = await this.transport.submit(row.subscription.phone, await this.textFor(row));
      return {
        ok: true,
        awaitingReceipt: true,
        receiptIds: submitted.messageIds,
        statusCode: null,
        retryAfterSeconds: null,
        error: null,
        latencyMs: elapsed(started),
        responseExcerpt: `${submitted.parts} ${submitted.encoding} part(s), message id ${submitted.messageIds.join(', ')}`,
      };
    } catch (error) {
      const refused = error instanceof SmsSendError ? error : null;
      return {
        ok: false,
        statusCode: refused?.commandStatus ?? null,
        retryAfterSeconds: null,
        permanent: refused ? !refused.transient : false,
        error: describeError(error),
        latencyMs: elapsed(started),
        responseExcerpt: null,
      };
    }
  }

  private async textFor({ payload, subscription }: SmsDeliveryToSend): Promise<string> {
    const changes = changesFor(subscription.filter, payload);
    const key = `${subscription.language} ${changes.map((c) => c.area.code).join(',')}`;
    const byReader = this.textsOf(payload);
    let text = byReader.get(key);
    if (text === undefined) {
      text = alertSms({
        event: payload,
        changes,
        scheme: await this.schemeOf(payload),
        language: subscription.language,
        fallbackLanguage: this.fallbackLanguage,
        publicUrl: this.publicUrl,
      });
      byReader.set(key, text);
    }
    return text;
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);
