// Waiting in end-to-end tests: for a condition, never for a fixed time. The app works in the background
// (queues, timers, retries), so a test reads until what it expects is there, within a bound.

export interface Bound {
  /** Give up after this long. */
  timeoutMs?: number;
  /** Read again after this long. */
  intervalMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
}

/**
 * Reads until `predicate` holds of what `read` returns, and returns that value. Past `timeoutMs`, fails with
 * the last value seen. An error thrown by `read` fails at once.
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  predicate: (value: T) => boolean,
  { timeoutMs = 10_000, intervalMs = 50, what = 'the condition' }: Bound = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() >= deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${shown(value)}`);
    await pause(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

/**
 * Checks that `predicate` keeps holding of what `read` returns for `ms`, and returns the last value: for what
 * must NOT happen (a second delivery, a closed connection), where no condition marks the end of the wait.
 * Fails as soon as it stops holding.
 */
export async function stillAfter<T>(
  ms: number,
  read: () => T | Promise<T>,
  predicate: (value: T) => boolean,
  { intervalMs = 50, what = 'the condition' }: Omit<Bound, 'timeoutMs'> = {},
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (!predicate(value))
      throw new Error(`${what} no longer held after ${Date.now() - started} ms; seen: ${shown(value)}`);
    const left = started + ms - Date.now();
    if (left <= 0) return value;
    await pause(Math.min(intervalMs, left));
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A value for a failure message: JSON, cut short (a read may return thousands of rows). */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  const counted = Array.isArray(value) ? `${value.length} item(s) ` : '';
  return counted + (text.length > 500 ? `${text.slice(0, 500)}…` : text);
}
