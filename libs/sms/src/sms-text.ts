// How a text becomes SMS parts (3GPP TS 23.038 and 23.040) and back. The characters themselves are the `smpp`
// package's tables (GSM 03.38 with its extension table; UTF-16BE for UCS-2); what is here is the arithmetic of
// parts: 160 septets or 70 UCS-2 units alone, 153 or 67 beside a concatenation UDH, never splitting an escape
// sequence or a surrogate pair between two parts.
import { randomInt } from 'node:crypto';
import { encodings } from 'smpp';
import { SmsSendError } from './smpp-status';

export type SmsEncoding = 'gsm7' | 'ucs2';

/** One submit_sm's worth of a text. */
export interface SmsPart {
  /** 0: the SMSC's default alphabet (GSM 7-bit, unpacked); 8: UCS-2. */
  dataCoding: number;
  /** 0x40 (UDH indicator) on the parts of a concatenated text, else 0. */
  esmClass: number;
  /** The UDH, if any, then the text's octets. */
  shortMessage: Buffer;
}

export interface SegmentedSms {
  encoding: SmsEncoding;
  parts: SmsPart[];
}

const DATA_CODING: Record<SmsEncoding, number> = { gsm7: 0x00, ucs2: 0x08 };
const UDH_INDICATOR = 0x40;
/** Octets a text may have in one part alone, and in each part of a concatenated one (a 6-octet UDH beside it). */
const SINGLE: Record<SmsEncoding, number> = { gsm7: 160, ucs2: 140 };
const CONCATENATED: Record<SmsEncoding, number> = { gsm7: 153, ucs2: 134 };
const GSM_ESCAPE = 0x1b;

/** GSM 7-bit when every character of `text` is in the GSM 03.38 tables, UCS-2 otherwise. */
export function smsEncodingOf(text: string): SmsEncoding {
  // The package's table admits ESC itself, which would garble the character after it.
  return !text.includes('\x1b') && encodings.ASCII.match(text) ? 'gsm7' : 'ucs2';
}

function encode(text: string, encoding: SmsEncoding): Buffer {
  return encoding === 'gsm7' ? encodings.ASCII.encode(text) : encodings.UCS2.encode(text);
}

/** The octets of `encoded` cut into parts of at most `size`, none ending inside a character. */
function cut(encoded: Buffer, encoding: SmsEncoding, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  while (start < encoded.length) {
    let end = Math.min(start + size, encoded.length);
    if (end < encoded.length) {
      if (encoding === 'gsm7' && encoded[end - 1] === GSM_ESCAPE) end -= 1;
      // A high surrogate (D800–DBFF) at the end would leave its pair's second half to the next part.
      if (encoding === 'ucs2' && (encoded[end - 2] & 0xfc) === 0xd8) end -= 2;
    }
    chunks.push(encoded.subarray(start, end));
    start = end;
  }
  return chunks;
}

/** How many parts `text` takes, and in which encoding. */
export function smsSizeOf(text: string): { encoding: SmsEncoding; parts: number } {
  const encoding = smsEncodingOf(text);
  const encoded = encode(text, encoding);
  if (encoded.length <= SINGLE[encoding]) return { encoding, parts: 1 };
  return { encoding, parts: cut(encoded, encoding, CONCATENATED[encoding]).length };
}

/**
 * `text` as the parts to submit: one without a UDH when it fits, else concatenated parts that share a random
 * reference. More than `maxParts` is a permanent SmsSendError: the caller shortens the text, not the SMSC.
 */
export function segmentSms(
  text: string,
  { maxParts, reference = randomInt(256) }: { maxParts: number; reference?: number },
): SegmentedSms {
  const encoding = smsEncodingOf(text);
  const encoded = encode(text, encoding);
  const dataCoding = DATA_CODING[encoding];
  if (encoded.length <= SINGLE[encoding])
    return { encoding, parts: [{ dataCoding, esmClass: 0, shortMessage: encoded }] };
  const chunks = cut(encoded, encoding, CONCATENATED[encoding]);
  if (chunks.length > maxParts)
    throw new SmsSendError(`the text takes ${chunks.length} SMS parts, more than ${maxParts}`, false);
  return {
    encoding,
    parts: chunks.map((chunk, i) => ({
      dataCoding,
      esmClass: UDH_INDICATOR,
      // IEI 0x00: concatenated short message, 8-bit reference (TS 23.040 §9.2.3.24.1).
      shortMessage: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, reference, chunks.length, i + 1]), chunk]),
    })),
  };
}

/** The concatenation header of a part: its reference, how many parts there are and which one this is. */
function concatenationOf(udh: Buffer): { reference: number; total: number; sequence: number } | null {
  for (let offset = 0; offset + 2 <= udh.length; offset += 2 + udh[offset + 1]) {
    const [iei, length] = [udh[offset], udh[offset + 1]];
    const ie = udh.subarray(offset + 2, offset + 2 + length);
    if (iei === 0x00 && length === 3) return { reference: ie[0], total: ie[1], sequence: ie[2] };
    if (iei === 0x08 && length === 4) return { reference: ie.readUInt16BE(0), total: ie[2], sequence: ie[3] };
  }
  return null;
}

/**
 * The text of the parts of one message, joined in the order their UDHs give: what a phone shows. Parts
 * without a UDH are taken in the order given.
 */
export function decodeSmsParts(parts: SmsPart[]): string {
  const read = parts.map((part, index) => {
    const hasUdh = (part.esmClass & UDH_INDICATOR) !== 0 && part.shortMessage.length > 0;
    const udhLength = hasUdh ? part.shortMessage[0] + 1 : 0;
    const concatenation = hasUdh ? concatenationOf(part.shortMessage.subarray(1, udhLength)) : null;
    const body = part.shortMessage.subarray(udhLength);
    return { order: concatenation?.sequence ?? index, body, ucs2: (part.dataCoding & 0x0f) === 0x08 };
  });
  read.sort((a, b) => a.order - b.order);
  // UCS-2 parts are joined before decoding: a surrogate pair split by another sender still reads as one.
  if (read.every((part) => part.ucs2)) return encodings.UCS2.decode(Buffer.concat(read.map((p) => p.body)));
  return read
    .map((part) => (part.ucs2 ? encodings.UCS2.decode(part.body) : encodings.ASCII.decode(part.body)))
    .join('');
}
