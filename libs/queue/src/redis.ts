import Redis from 'ioredis';
import { redactUrl } from '@tocsin/config';

/** Nothing listens there, as opposed to a Redis that refused us (a password, TLS): worth a hint. */
const NOBODY_THERE = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|no answer/;
const HOW_TO_GET_ONE =
  'start one (`apt install redis-server`, `brew install redis && brew services start redis` or ' +
  '`docker run -d -p 6379:6379 redis:7`) or point REDIS_URL at yours';

/**
 * Opens a Redis connection and waits until it answers, so a wrong REDIS_URL or a Redis that is down stops
 * start-up with a reason instead of failing later. After start-up the client reconnects by itself; with no
 * offline queue a command fails at once while Redis is away, rather than hanging.
 */
export async function connectRedis(url: string, timeoutMs = 5000): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  // After start-up, errors are reported by the health check and by the commands that fail.
  let lastError: Error | undefined;
  client.on('error', (error: Error) => (lastError = error));
  try {
    await withinMs(client.connect(), timeoutMs);
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    const reason = lastError?.message || (error as Error).message || 'no answer';
    const hint = NOBODY_THERE.test(reason) ? `; ${HOW_TO_GET_ONE}` : '';
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${reason}${hint}`, { cause: error });
  }
}

/** `promise`, or a rejection after `ms`. */
export function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
