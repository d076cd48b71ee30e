import { newDeliveryStatus, reachesImmediateRank } from './digest-hold';

const change = (previousRank: number | null, currentRank: number | null) => ({ previousRank, currentRank });
const daily = (immediateMinRank: number | null) => ({ delivery: 'daily' as const, immediateMinRank });

describe('reachesImmediateRank', () => {
  it.each([
    [3, change(1, 3), true],
    [3, change(null, 4), true],
    [3, change(1, 2), false],
    // A drop from the threshold is heard at once: the subscriber learns the critical level is over.
    [3, change(3, 1), true],
    [3, change(3, null), true],
    [3, change(2, 1), false],
    [null, change(1, 5), false],
  ])('threshold %p, change %j: %p', (threshold, c, expected) => {
    expect(reachesImmediateRank(threshold, c)).toBe(expected);
  });
});

describe('newDeliveryStatus', () => {
  it('sends everything at once for immediate delivery', () => {
    expect(newDeliveryStatus({ delivery: 'immediate', immediateMinRank: null }, [change(1, 2)])).toBe(
      'pending',
    );
  });

  it('holds a change below the threshold for the digest', () => {
    expect(newDeliveryStatus(daily(3), [change(1, 2)])).toBe('held');
    expect(newDeliveryStatus({ delivery: 'weekly', immediateMinRank: 3 }, [change(null, 1)])).toBe('held');
  });

  it('sends at once a change at or above the threshold', () => {
    expect(newDeliveryStatus(daily(3), [change(2, 3)])).toBe('pending');
  });

  it('sends the whole event at once when any matching change reaches the threshold', () => {
    expect(newDeliveryStatus(daily(3), [change(1, 2), change(2, 4)])).toBe('pending');
  });

  it('holds every change when there is no threshold', () => {
    expect(newDeliveryStatus(daily(null), [change(1, 5)])).toBe('held');
  });
});
