// Pure: what happens after an attempt. DESIGN.md: 2xx = delivered; 410 = the receiver is gone, disable the
// endpoint; 429/503 wait as Retry-After says (bounded); other failures retry on the schedule with jitter;
// past the schedule = failed (the dead letter, replayable).
import type { AttemptResult } from './channel';

/** What the decision reads of an attempt's result. */
export type AttemptVerdict = Pick<AttemptResult, 'ok' | 'statusCode' | 'retryAfterSeconds' | 'permanent'>;

export type RetryDecision =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'gone'; reason: string };

/** Retry-After is honoured up to this; a receiver asking for more gets the schedule's next step instead. */
export const MAX_RETRY_AFTER_SECONDS = 6 * 3600;
/** ± this share of the delay, so retries from a fan-out do not all land in the same second. */
export const JITTER = 0.1;

/**
 * @param attempt the attempt just made, 1 = the first
 * @param scheduleSeconds delays before each retry; `[1,1,1]` = four attempts in all
 */
export function decideAfterAttempt(
  attempt: number,
  result: AttemptVerdict,
  scheduleSeconds: readonly number[],
  random: () => number = Math.random,
): RetryDecision {
  if (result.ok) return { kind: 'delivered' };
  if (result.statusCode === 410) return { kind: 'gone', reason: 'the receiver answered 410 Gone' };
  if (result.permanent) return { kind: 'failed', reason: 'a permanent error' };
  if (attempt > scheduleSeconds.length)
    return { kind: 'failed', reason: `no success after ${attempt} attempts` };
  const scheduled = scheduleSeconds[attempt - 1];
  const asked = result.statusCode === 429 || result.statusCode === 503 ? result.retryAfterSeconds : null;
  if (asked !== null && asked <= MAX_RETRY_AFTER_SECONDS)
    return { kind: 'retry', delayMs: Math.max(asked, 1) * 1000 };
  const jitter = 1 + (random() * 2 - 1) * JITTER;
  return { kind: 'retry', delayMs: Math.round(scheduled * 1000 * jitter) };
}
