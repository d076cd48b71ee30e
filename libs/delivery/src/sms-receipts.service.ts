import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock, describeError } from '@tocsin/config';
import { SmsReceipt, SmsTransport } from '@tocsin/sms';
import { SmsPartsRepository } from './sms-parts.repository';

/** How often, and how far apart, a receipt that came before its delivery was recorded is applied again. */
const EARLY_RETRIES = 30;
const EARLY_RETRY_MS = 1000;

/**
 * Settles SMS deliveries from the SMSC's delivery receipts (registered_delivery), matched by message id.
 * Receipts come on the worker's bind only (the API never binds). One that comes while its batch is still
 * being sent is tried again a second later, for half a minute.
 */
@Injectable()
export class SmsReceipts implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SmsReceipts.name);
  private unsubscribe: (() => void) | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly transport: SmsTransport,
    private readonly parts: SmsPartsRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.transport.onReceipt((receipt) => void this.apply(receipt, 0));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async apply(receipt: SmsReceipt, tries: number): Promise<void> {
    // ENROUTE, ACCEPTD: on its way; the final receipt says how it ended.
    if (!receipt.final) return;
    try {
      const outcome = await this.parts.applyReceipt(
        receipt.messageId,
        receipt.delivered,
        receipt.stat,
        this.clock.now(),
      );
      if (outcome.kind !== 'early') return;
      if (tries >= EARLY_RETRIES) {
        this.logger.warn(`a ${receipt.stat} receipt for message ${receipt.messageId} matched no sent SMS`);
        return;
      }
    } catch (error) {
      this.logger.warn(`receipt for message ${receipt.messageId}: ${describeError(error)}`);
      if (tries >= EARLY_RETRIES) return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.apply(receipt, tries + 1);
    }, EARLY_RETRY_MS);
    timer.unref();
    this.timers.add(timer);
  }
}
