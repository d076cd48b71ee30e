// Pure: when an email subscription's address is dead (DESIGN.md §5.6). Three permanent SMTP failures in a
// row suspend it; one delivered email in between starts the count again.

/** How many permanent failures in a row suspend a subscription. */
export const BOUNCES_TO_SUSPEND = 3;

/** One settled email delivery of a subscription, as the bounce rule reads it. */
export interface SettledEmailDelivery {
  status: 'delivered' | 'sent' | 'failed';
  /** The SMTP reply code of its last attempt; null when no server answered. */
  statusCode: number | null;
  /** What its last attempt came to, for the reason a suspension gives. */
  error: string | null;
}

/**
 * A 5xx reply: the server refused the message for good (550 no such user). A 4xx is a "try later", and no
 * reply at all (a refused connection) says nothing about the address.
 */
export function isPermanentSmtpFailure(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 500 && statusCode < 600;
}

/**
 * True when the subscription's latest settled deliveries, newest first, are all permanent failures and there
 * are at least BOUNCES_TO_SUSPEND of them: fewer is not yet "in a row", and a delivered one resets it.
 */
export function bouncedTooOften(latestFirst: readonly SettledEmailDelivery[]): boolean {
  const last = latestFirst.slice(0, BOUNCES_TO_SUSPEND);
  return (
    last.length === BOUNCES_TO_SUSPEND &&
    last.every((d) => d.status === 'failed' && isPermanentSmtpFailure(d.statusCode))
  );
}

/** Why a subscription was suspended, with the server's last answer (it names the mailbox's problem). */
export function suspensionReason(latestFirst: readonly SettledEmailDelivery[]): string {
  const lastAnswer = latestFirst[0]?.error;
  const why = `${BOUNCES_TO_SUSPEND} permanent SMTP failures in a row`;
  return lastAnswer ? `${why}; the last: ${lastAnswer}` : why;
}
