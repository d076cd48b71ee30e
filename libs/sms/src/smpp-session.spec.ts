import { rebindDelay } from './smpp-session';

describe('rebindDelay', () => {
  const backoff = { minMs: 500, maxMs: 30_000 };

  it('doubles from minMs and stops at maxMs, at the top of the jitter', () => {
    expect([0, 1, 2, 3, 5, 6, 7, 40].map((attempt) => rebindDelay(attempt, backoff, () => 1))).toEqual([
      500, 1000, 2000, 4000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('waits at least half of the step, at the bottom of the jitter', () => {
    expect(rebindDelay(0, backoff, () => 0)).toBe(250);
    expect(rebindDelay(10, backoff, () => 0)).toBe(15000);
  });
});
