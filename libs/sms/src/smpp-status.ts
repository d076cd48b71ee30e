import { errors } from 'smpp';

/** SMSC answers that mean "later, not never": the delivery layer retries these on its schedule. */
const TRANSIENT_STATUSES = new Set([errors.ESME_RTHROTTLED, errors.ESME_RMSGQFUL, errors.ESME_RSYSERR]);

const NAMES = new Map(Object.entries(errors).map(([name, status]) => [status, name]));

/** `ESME_RTHROTTLED` for 0x58; a status the package does not name as its hex code. */
export function statusName(status: number): string {
  return NAMES.get(status) ?? `0x${status.toString(16).padStart(8, '0')}`;
}

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

/**
 * A submit that did not reach the SMSC's store. `transient`: try again later (throttled, queue full, system error,
 * a lost bind, a timeout); otherwise the same message will never be accepted (a bad address, a refused sender).
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly commandStatus?: number,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }

  static fromStatus(status: number): SmsSendError {
    return new SmsSendError(
      `the SMSC refused the message: ${statusName(status)}`,
      isTransientStatus(status),
      status,
    );
  }
}
