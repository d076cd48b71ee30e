import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { translate, uiLanguageOf } from '@tocsin/i18n';
import { readerOf } from '@tocsin/subscribers';
import { SmsInbound } from './smpp-deliver';
import { SmsSubscriptionsRepository } from './sms-subscriptions.repository';
import { SmsTransport } from './sms-transport';

/** STOP in any case, with any whitespace around it: the word operators and regulators expect. */
export function isStopReply(text: string): boolean {
  return text.trim().toUpperCase() === 'STOP';
}

/**
 * Messages from phones, in the worker (the process bound to the SMSC). A STOP unsubscribes the number and is
 * answered once: only the STOP that changed the row is answered, so an auto-responder's STOP loop ends after
 * one text. Anything else is ignored.
 */
@Injectable()
export class SmsInbox implements OnModuleDestroy {
  private readonly logger = new Logger(SmsInbox.name);
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly repository: SmsSubscriptionsRepository,
    private readonly transport: SmsTransport,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Listens to the transport; the worker calls it as it binds. */
  start(): void {
    this.stopListening ??= this.transport.onInbound((message) => void this.receive(message));
  }

  onModuleDestroy(): void {
    this.stopListening?.();
    this.stopListening = null;
  }

  /** Never throws: the transport has answered the deliver_sm already, and a failure here is only logged. */
  async receive(message: SmsInbound): Promise<void> {
    // Numbers and texts from phones stay out of the logs: they are the subscribers' own.
    if (!isStopReply(message.text)) {
      this.logger.debug('a message from a phone ignored: not STOP');
      return;
    }
    try {
      const unsubscribed = await this.repository.unsubscribeByPhone(message.from, this.clock.now());
      if (!unsubscribed) {
        this.logger.debug('a STOP from a number with nothing to stop: not answered');
        return;
      }
      this.logger.log(`subscription ${unsubscribed.id} unsubscribed by STOP`);
      const ui = readerOf(unsubscribed.language, uiLanguageOf(this.config.defaultLanguage, 'en')).ui;
      await this.transport.submit(unsubscribed.phone, translate(ui, 'sms-subscriber.stopped'));
    } catch (error) {
      this.logger.warn(`a STOP was not handled in full: ${describeError(error)}`);
    }
  }
}
