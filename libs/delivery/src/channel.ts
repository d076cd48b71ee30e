// The port every delivery goes out through. A channel is chosen by the row's `channel`; adding one (SMS, a
// chat format) is a name in CHANNELS, a member of DeliveryToSend, a class implementing Channel and its
// entry in DELIVERY_CHANNELS: TypeScript points at each place that is still missing.
import { describeError } from '@tocsin/config';
import type { ChannelName, DeliveryToSendOn } from './deliveries.repository';

/** What one attempt came to, as the channel saw it. */
export interface AttemptResult {
  /** The receiver took it (a 2xx answer, an SMTP 250). */
  ok: boolean;
  /** The HTTP status or SMTP reply code, when there was an answer. */
  statusCode: number | null;
  /** How long the receiver asked to be left alone (429, 503), in seconds from now. */
  retryAfterSeconds: number | null;
  /**
   * Taken, but not yet delivered: an SMSC accepted the SMS and its delivery receipt will say how it ended.
   * The delivery is then `sent`, neither retried nor delivered until the receipt comes.
   */
  awaitingReceipt?: boolean;
  /** The ids the receiver gave what it took (an SMS's parts), for matching its receipts. */
  receiptIds?: string[];
  /** The channel knows it will never work (an SMTP 5xx, a refused address); absent: a later try may. */
  permanent?: boolean;
  /** Why it failed, in words safe to store and show: no secrets, no query parameters. */
  error: string | null;
  latencyMs: number;
  /** The start of the answer, for the delivery log. */
  responseExcerpt: string | null;
}

export interface Channel<C extends ChannelName> {
  /** Whether the subscriber still takes deliveries (an enabled endpoint, a confirmed address); if not, skipped. */
  accepts(row: DeliveryToSendOn<C>): boolean;
  /**
   * Makes one attempt at `at`, the instant the delivery log records for it (and, for a webhook, its
   * `webhook-timestamp`). Never rejects: whatever goes wrong is a failed attempt.
   */
  send(row: DeliveryToSendOn<C>, at: Date): Promise<AttemptResult>;
}

/** Injection token of every channel by name. */
export const DELIVERY_CHANNELS = Symbol('DELIVERY_CHANNELS');
export type DeliveryChannels = { [C in ChannelName]: Channel<C> };

/** The channel `row` goes out on, typed for that row (TypeScript does not relate the two by itself). */
export function channelOf<C extends ChannelName>(
  channels: DeliveryChannels,
  row: DeliveryToSendOn<C> & { channel: C },
): Channel<C> {
  return channels[row.channel];
}

/** A failed attempt for an error that was thrown, described without parameters or secrets. */
export function attemptThatThrew(error: unknown, latencyMs: number): AttemptResult {
  return {
    ok: false,
    statusCode: null,
    retryAfterSeconds: null,
    error: describeError(error),
    latencyMs,
    responseExcerpt: null,
  };
}
