// Pure: how often an address may be mailed because someone signed it up. Sign-up always answers the same,
// so these limits are the only brake on using Tocsin to flood someone's inbox.

/** No second mail to an address within this time… */
export const MIN_MAIL_INTERVAL_MS = 10 * 60 * 1000;
/** …and at most this many in one UTC day. */
export const MAX_MAILS_PER_DAY = 5;
/** A confirmation link is good for this long after it was sent. */
export const CONFIRMATION_VALID_MS = 7 * 24 * 60 * 60 * 1000;

export interface MailHistory {
  confirmationSentAt: Date | null;
  confirmationsToday: number;
}

/** Whether a sign-up may mail the address now, and the counter to store if it does. */
export function signupMailAllowance(
  history: MailHistory,
  now: Date,
): { allowed: boolean; confirmationsToday: number } {
  const last = history.confirmationSentAt;
  const sameDay = last !== null && last.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  const today = sameDay ? history.confirmationsToday : 0;
  if (last !== null && now.getTime() - last.getTime() < MIN_MAIL_INTERVAL_MS)
    return { allowed: false, confirmationsToday: today };
  if (today >= MAX_MAILS_PER_DAY) return { allowed: false, confirmationsToday: today };
  return { allowed: true, confirmationsToday: today + 1 };
}
