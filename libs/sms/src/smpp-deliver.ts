import { consts, DecodedMessage, PduFields } from 'smpp';
import { parseReceipt, SmsReceipt } from './smpp-receipt';

/** A message from a phone: `from` in E.164 when the SMSC says it is international. */
export interface SmsInbound {
  from: string;
  text: string;
}

/** One part of a concatenated message, from its UDH (IE 0x00 with an 8-bit reference, 0x08 with 16 bits). */
export interface ConcatenationPart {
  reference: number;
  total: number;
  sequence: number;
}

export type DeliverSm =
  | { kind: 'receipt'; receipt: SmsReceipt }
  | { kind: 'message'; from: string; text: string; part?: ConcatenationPart }
  | { kind: 'ignored'; why: string };

// esm_class bits 2–5 are the message type (SMPP 3.4 §5.2.12).
const MESSAGE_TYPE_MASK = 0x3c;
const RECEIPT_TYPES = new Set([consts.ESM_CLASS.MC_DELIVERY_RECEIPT, consts.ESM_CLASS.INTERMEDIATE_DELIVERY]);

/** What a deliver_sm, as the `smpp` package decoded it, carries: a delivery receipt, a message from a phone, or neither. */
export function readDeliverSm(pdu: PduFields): DeliverSm {
  const esmClass = pdu.esm_class ?? 0;
  const messageType = esmClass & MESSAGE_TYPE_MASK;
  // message_payload stands in for short_message when the text is longer than 254 octets.
  const body = decoded(pdu.message_payload) ?? decoded(pdu.short_message) ?? { message: '' };
  const text = typeof body.message === 'string' ? body.message : body.message.toString('latin1');
  if (RECEIPT_TYPES.has(messageType)) {
    const receipt = parseReceipt({
      text,
      receiptedMessageId: pdu.receipted_message_id,
      messageState: pdu.message_state,
    });
    return receipt
      ? { kind: 'receipt', receipt }
      : { kind: 'ignored', why: `an unreadable receipt: ${text}` };
  }
  if (messageType !== 0) return { kind: 'ignored', why: `esm_class 0x${esmClass.toString(16)}` };
  const from =
    pdu.source_addr_ton === consts.TON.INTERNATIONAL ? `+${pdu.source_addr ?? ''}` : (pdu.source_addr ?? '');
  const part = concatenation(body.udh ?? []);
  return { kind: 'message', from, text, ...(part ? { part } : {}) };
}

function decoded(value: PduFields['short_message']): DecodedMessage | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return { message: value };
  return value;
}

function concatenation(elements: Buffer[]): ConcatenationPart | undefined {
  for (const ie of elements) {
    if (ie[0] === 0x00 && ie[1] === 3) return { reference: ie[2], total: ie[3], sequence: ie[4] };
    if (ie[0] === 0x08 && ie[1] === 4)
      return { reference: ie.readUInt16BE(2), total: ie[4], sequence: ie[5] };
  }
  return undefined;
}

/**
 * Joins the parts of concatenated messages from phones. A message whose parts do not all arrive within
 * `maxAgeMs` is dropped (checked as parts come, so no timer is left running).
 */
export class InboundReassembly {
  private readonly partial = new Map<string, { started: number; texts: (string | undefined)[] }>();

  constructor(
    private readonly maxAgeMs = 10 * 60_000,
    private readonly now = () => Date.now(),
  ) {}

  /** The whole message once its last part is in; null while parts are missing. */
  add(message: { from: string; text: string; part?: ConcatenationPart }): SmsInbound | null {
    const { from, text, part } = message;
    if (!part || part.total <= 1) return { from, text };
    const now = this.now();
    for (const [key, entry] of this.partial)
      if (now - entry.started > this.maxAgeMs) this.partial.delete(key);
    const key = `${from}\u0000${part.reference}\u0000${part.total}`;
    const entry = this.partial.get(key) ?? {
      started: now,
      texts: Array.from({ length: part.total }, (): string | undefined => undefined),
    };
    if (part.sequence < 1 || part.sequence > part.total) return null;
    entry.texts[part.sequence - 1] = text;
    if (entry.texts.some((t) => t === undefined)) {
      this.partial.set(key, entry);
      return null;
    }
    this.partial.delete(key);
    return { from, text: entry.texts.join('') };
  }
}
