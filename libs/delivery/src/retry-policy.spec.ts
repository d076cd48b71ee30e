import { decideAfterAttempt, MAX_RETRY_AFTER_SECONDS } from './retry-policy';

const failure = (statusCode: number | null, retryAfterSeconds: number | null = null) => ({
  ok: false,
  statusCode,
  retryAfterSeconds,
});
const noJitter = () => 0.5;

describe('decideAfterAttempt', () => {
  it('calls a 2xx delivered', () => {
    expect(decideAfterAttempt(1, { ok: true, statusCode: 204, retryAfterSeconds: null }, [5])).toEqual({
      kind: 'delivered',
    });
  });

  it('gives up on a receiver that answers 410 Gone at once', () => {
    expect(decideAfterAttempt(1, failure(410), [5, 300]).kind).toBe('gone');
  });

  it('retries on the schedule: 1,1,1 means four attempts in all', () => {
    const schedule = [1, 1, 1];
    expect(decideAfterAttempt(1, failure(500), schedule, noJitter)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(decideAfterAttempt(3, failure(500), schedule, noJitter)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(decideAfterAttempt(4, failure(500), schedule, noJitter)).toEqual({
      kind: 'failed',
      reason: 'no success after 4 attempts',
    });
  });

  it('spreads retries by at most ten per cent', () => {
    expect(decideAfterAttempt(2, failure(null), [5, 300], () => 0)).toEqual({
      kind: 'retry',
      delayMs: 270000,
    });
    expect(decideAfterAttempt(2, failure(null), [5, 300], () => 1)).toEqual({
      kind: 'retry',
      delayMs: 330000,
    });
  });

  it.each([429, 503])('waits as long as a %s asks, when that is reasonable', (status) => {
    expect(decideAfterAttempt(1, failure(status, 120), [5, 300])).toEqual({ kind: 'retry', delayMs: 120000 });
    expect(decideAfterAttempt(1, failure(status, 0), [5, 300])).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(decideAfterAttempt(1, failure(status, MAX_RETRY_AFTER_SECONDS + 1), [5, 300], noJitter)).toEqual({
      kind: 'retry',
      delayMs: 5000,
    });
  });

  it('still stops after the schedule even when asked to wait', () => {
    expect(decideAfterAttempt(3, failure(429, 10), [5, 5]).kind).toBe('failed');
  });

  it('fails a permanent error without retrying', () => {
    expect(decideAfterAttempt(1, { ...failure(550), permanent: true }, [5]).kind).toBe('failed');
  });
});
