import { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { consts, PDU, PduFields } from 'smpp';
import { InboundReassembly, readDeliverSm, SmsInbound } from './smpp-deliver';
import { SmsReceipt } from './smpp-receipt';
import { SmppSession, SmppSessionOptions } from './smpp-session';
import { SmsSendError } from './smpp-status';
import { SegmentedSms, segmentSms } from './sms-text';

/** What the SMSC accepted for one text: a message id per part, for matching delivery receipts. */
export interface SmsSubmitted {
  messageIds: string[];
  parts: number;
  encoding: 'gsm7' | 'ucs2';
}

/** A text is sent in at most this many concatenated parts (DESIGN §5.5). */
export const SMS_MAX_PARTS = 3;

const E164 = /^\+[1-9]\d{6,14}$/;

/** Texts whose parts are kept: an alert goes to thousands in a handful of texts (one per language and area). */
const SEGMENTED_TEXTS = 64;

/** source_addr and its TON/NPI: an alphanumeric sender, or an international number without its `+`. */
export function sourceAddress(
  from: string,
): Pick<PduFields, 'source_addr' | 'source_addr_ton' | 'source_addr_npi'> {
  if (E164.test(from))
    return {
      source_addr: from.slice(1),
      source_addr_ton: consts.TON.INTERNATIONAL,
      source_addr_npi: consts.NPI.ISDN,
    };
  return { source_addr: from, source_addr_ton: consts.TON.ALPHANUMERIC, source_addr_npi: consts.NPI.UNKNOWN };
}

/** Where an `smpp://system_id:password@host:port` URL points, as session options. */
export function smppEndpoint(
  url: string,
): Pick<SmppSessionOptions, 'host' | 'port' | 'systemId' | 'password' | 'tls'> {
  const parsed = new URL(url);
  const tls = parsed.protocol === 'ssmpp:';
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : tls ? 3550 : 2775,
    systemId: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    tls,
  };
}

/** Overrides of the session's timings (enquire_link, timeouts, backoff), for tests; production uses the defaults. */
export const SMPP_SESSION_OPTIONS = Symbol('SMPP_SESSION_OPTIONS');

interface TransportEvents {
  receipt: [SmsReceipt];
  inbound: [SmsInbound];
}

/**
 * The one way out for SMS, over one SMPP transceiver bind per process (SMPP_URL; unset = `configured` false and
 * nothing connects). Sends texts in GSM 7-bit or UCS-2 parts and hands on what the SMSC delivers: receipts for
 * what was sent, and messages from phones. Never retries: a transient SmsSendError is the caller's to retry.
 */
@Injectable()
export class SmsTransport implements OnModuleDestroy {
  private readonly logger = new Logger(SmsTransport.name);
  private readonly session: SmppSession | null;
  private readonly events = new EventEmitter<TransportEvents>();
  private readonly reassembly = new InboundReassembly();
  /** The parts of the texts sent last, by text, oldest first (a Map keeps insertion order). */
  private readonly segmented = new Map<string, SegmentedSms>();

  constructor(
    private readonly config: AppConfig,
    @Optional() @Inject(SMPP_SESSION_OPTIONS) sessionOptions: Partial<SmppSessionOptions> = {},
  ) {
    this.session = config.smppUrl
      ? new SmppSession({
          ...smppEndpoint(config.smppUrl),
          window: config.smppWindow,
          logger: this.logger,
          ...sessionOptions,
        })
      : null;
    this.session?.on('deliver', (pdu) => this.onDeliver(pdu));
  }

  get configured(): boolean {
    return this.session !== null;
  }

  /**
   * Binds now, so receipts and replies flow before the first send. The worker calls it; a process that only
   * imports the module (the API) never binds: receipts and replies would come to a process that drops them.
   */
  start(): void {
    this.session?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.session?.close();
    this.events.removeAllListeners();
  }

  /** Sends `text` to the E.164 number `to`; resolves once the SMSC has accepted every part. */
  async submit(to: string, text: string): Promise<SmsSubmitted> {
    if (!this.session) throw new SmsSendError('SMS is not configured (SMPP_URL is unset)', false);
    if (!E164.test(to)) throw new SmsSendError(`not an E.164 phone number: ${to}`, false);
    const segmented = this.segmentedText(text);
    this.session.start();
    const common: PduFields = {
      ...sourceAddress(this.config.smsFrom),
      destination_addr: to.slice(1),
      dest_addr_ton: consts.TON.INTERNATIONAL,
      dest_addr_npi: consts.NPI.ISDN,
      registered_delivery: consts.REGISTERED_DELIVERY.FINAL,
    };
    // All parts join the window's queue at once and leave it in order; the first refusal decides the outcome,
    // a permanent one over a transient one (retrying would only repeat it).
    const results = await Promise.allSettled(
      segmented.parts.map((part) =>
        (this.session as SmppSession).submit({
          ...common,
          data_coding: part.dataCoding,
          esm_class: part.esmClass,
          short_message: part.shortMessage,
        }),
      ),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as SmsSendError] : []));
    if (failures.length > 0) throw failures.find((f) => !f.transient) ?? failures[0];
    const messageIds = results.map((r) => (r as PromiseFulfilledResult<string>).value);
    return { messageIds, parts: messageIds.length, encoding: segmented.encoding };
  }

  /**
   * `text`'s parts, cut once for all its recipients: each part of one text then carries the same
   * concatenation reference, which phones join per sender, so sharing it across recipients is harmless.
   */
  private segmentedText(text: string): SegmentedSms {
    let segmented = this.segmented.get(text);
    if (!segmented) {
      segmented = segmentSms(text, { maxParts: SMS_MAX_PARTS });
      this.segmented.set(text, segmented);
      if (this.segmented.size > SEGMENTED_TEXTS)
        this.segmented.delete(this.segmented.keys().next().value as string);
    }
    return segmented;
  }

  /** Calls `listener` with each delivery receipt; returns the unsubscribe. */
  onReceipt(listener: (receipt: SmsReceipt) => void): () => void {
    this.events.on('receipt', listener);
    return () => this.events.off('receipt', listener);
  }

  /** Calls `listener` with each message from a phone, concatenated parts joined; returns the unsubscribe. */
  onInbound(listener: (message: SmsInbound) => void): () => void {
    this.events.on('inbound', listener);
    return () => this.events.off('inbound', listener);
  }

  private onDeliver(pdu: PDU): void {
    const read = readDeliverSm(pdu);
    try {
      if (read.kind === 'receipt') this.events.emit('receipt', read.receipt);
      else if (read.kind === 'message') {
        const whole = this.reassembly.add(read);
        if (whole) this.events.emit('inbound', whole);
      } else this.logger.debug(`deliver_sm ignored: ${read.why}`);
    } catch (error) {
      // A listener's failure must not take the bind down; the deliver_sm was answered already.
      this.logger.error(`a deliver_sm listener failed: ${(error as Error).message}`);
    }
  }
}
