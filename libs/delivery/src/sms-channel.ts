import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, describeError } from '@tocsin/config';
import type { LevelChangedEvent } from '@tocsin/declarations';
import { UiLanguage, uiLanguageOf } from '@tocsin/i18n';
import { SchemesService, StoredScheme } from '@tocsin/schemes';
import { SmsSendError, SmsTransport } from '@tocsin/sms';
import { alertSms } from './alert-sms';
import { AttemptResult, Channel } from './channel';
import type { SmsDeliveryToSend } from './deliveries.repository';
import { SmsPartsRepository } from './sms-parts.repository';
import { changesFor } from './subscriber-changes';

/**
 * Alerts by SMS over the worker's SMPP bind. An SMSC that takes the text makes the delivery `sent`; its
 * delivery receipts (SmsReceipts) then make it delivered or failed. A refusal the SMSC calls temporary
 * (throttled, its queue full, the bind lost) is retried on the schedule; any other fails the delivery.
 */
@Injectable()
export class SmsChannel implements Channel<'sms'> {
  private readonly logger = new Logger(SmsChannel.name);
  /** The scheme of each event being sent, read once per batch (the rows of one batch share one payload). */
  private readonly schemes = new WeakMap<LevelChangedEvent, Promise<StoredScheme>>();
  private readonly fallbackLanguage: UiLanguage;
  private readonly publicUrl: string;

  constructor(
    private readonly transport: SmsTransport,
    private readonly parts: SmsPartsRepository,
    private readonly schemesService: SchemesService,
    config: AppConfig,
  ) {
    this.fallbackLanguage = uiLanguageOf(config.defaultLanguage, 'en');
    this.publicUrl = config.publicUrl.replace(/\/+$/, '');
  }

  accepts(row: SmsDeliveryToSend): boolean {
    return row.subscription.status === 'confirmed';
  }

  async send(row: SmsDeliveryToSend, at: Date): Promise<AttemptResult> {
    const started = performance.now();
    const { payload, subscription } = row;
    let text: string;
    let submitted;
    try {
      text = alertSms({
        event: payload,
        changes: changesFor(subscription.filter, payload),
        scheme: await this.schemeOf(payload),
        language: subscription.language,
        fallbackLanguage: this.fallbackLanguage,
        publicUrl: this.publicUrl,
      });
      submitted = await this.transport.submit(subscription.phone, text);
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
    try {
      await this.parts.recordSubmitted(row.id, submitted.messageIds, at);
    } catch (error) {
      // The SMS is out: failing the attempt would send it again. Without its parts, no receipt will match,
      // and the delivery stays `sent`.
      this.logger.error(
        `delivery ${row.id}: the SMSC took it, but its parts were not recorded: ${describeError(error)}`,
      );
    }
    return {
      ok: true,
      awaitingReceipt: true,
      statusCode: null,
      retryAfterSeconds: null,
      error: null,
      latencyMs: elapsed(started),
      responseExcerpt: `${submitted.parts} ${submitted.encoding} part(s), message id ${submitted.messageIds.join(', ')}`,
    };
  }

  private schemeOf(payload: LevelChangedEvent): Promise<StoredScheme> {
    let scheme = this.schemes.get(payload);
    if (!scheme) {
      scheme = this.schemesService.get(payload.data.declaration.scheme);
      this.schemes.set(payload, scheme);
    }
    return scheme;
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);
