// Pure: the rules of the 6-digit codes that confirm an SMS sign-up. Sign-up answers the same whatever the
// number's state, so these limits are the only brake on using Tocsin to text someone, or to guess a code.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A code is good for this long after it was asked for. */
export const CODE_VALID_MS = 15 * 60 * 1000;
/** Wrong codes in a row that lock the number… */
export const WRONG_CODES_BEFORE_LOCK = 5;
/** …for this long; the code is void too, so a locked number needs a new one afterwards. */
export const LOCK_MS = 60 * 60 * 1000;
/** No second code to a number within this time (the first may just be slow)… */
export const MIN_CODE_INTERVAL_MS = 60 * 1000;
/** …and at most this many in one UTC day: each one is a text someone did not ask for, maybe. */
export const MAX_CODES_PER_DAY = 5;

/** A fresh code: six digits, leading zeros kept, from the CSPRNG. */
export function newCode(random: (max: number) => number = (max) => randomInt(max)): string {
  return String(random(1_000_000)).padStart(6, '0');
}

/**
 * What is stored of a code: an HMAC keyed with an instance secret, bound to the subscription, so the table
 * alone (a backup, a leak) does not give the codes away by trying the million of them.
 */
export function hashCode(secret: string, subscriptionId: string, code: string): string {
  return createHmac('sha256', secret).update(`sms-code:${subscriptionId}:${code}`).digest('base64url');
}

/** Whether `given` is the code `storedHash` was made from; in constant time. */
export function codeMatches(
  secret: string,
  subscriptionId: string,
  given: string,
  storedHash: string,
): boolean {
  const expected = Buffer.from(storedHash);
  const actual = Buffer.from(hashCode(secret, subscriptionId, given));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** What the code rules read of a subscription. */
export interface CodeState {
  status: string;
  codeHash: string | null;
  codeSentAt: Date | null;
  codesToday: number;
  wrongCodes: number;
  lockedUntil: Date | null;
}

export function isLocked(state: Pick<CodeState, 'lockedUntil'>, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** Whether a sign-up may text the number a code now, and the counter to store if it does. */
export function codeAllowance(state: CodeState, now: Date): { allowed: boolean; codesToday: number } {
  const last = state.codeSentAt;
  const sameDay = last !== null && last.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  const today = sameDay ? state.codesToday : 0;
  const refused = { allowed: false, codesToday: today };
  if (isLocked(state, now)) return refused;
  if (last !== null && now.getTime() - last.getTime() < MIN_CODE_INTERVAL_MS) return refused;
  if (today >= MAX_CODES_PER_DAY) return refused;
  return { allowed: true, codesToday: today + 1 };
}

/** The outcome of a code given to confirm, and what to store for it. */
export type CodeVerdict =
  | { outcome: 'confirmed' }
  /** Refused without looking at the code, the right one included. */
  | { outcome: 'locked'; lockedUntil: Date }
  /** Store `wrongCodes`; `lockedUntil` set: this guess locked the number and voided the code. */
  | { outcome: 'wrong'; wrongCodes: number; lockedUntil: Date | null }
  /** No code to compare with: none was sent, it expired, or the number is not pending. Nothing counts. */
  | { outcome: 'no-code' };

/** Judges `given` against the stored code; `matches` compares it with the hash (codeMatches). */
export function judgeCode(
  state: CodeState,
  matches: (storedHash: string) => boolean,
  now: Date,
): CodeVerdict {
  if (isLocked(state, now)) return { outcome: 'locked', lockedUntil: state.lockedUntil! };
  if (state.status !== 'pending' || state.codeHash === null || state.codeSentAt === null)
    return { outcome: 'no-code' };
  if (now.getTime() - state.codeSentAt.getTime() > CODE_VALID_MS) return { outcome: 'no-code' };
  if (matches(state.codeHash)) return { outcome: 'confirmed' };
  const wrongCodes = state.wrongCodes + 1;
  const lockedUntil = wrongCodes >= WRONG_CODES_BEFORE_LOCK ? new Date(now.getTime() + LOCK_MS) : null;
  return { outcome: 'wrong', wrongCodes, lockedUntil };
}
