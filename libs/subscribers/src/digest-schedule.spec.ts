import { DeliverySettings, digestZoneOf, nextDigestAt } from './digest-schedule';

const daily = (digestHour: number): DeliverySettings => ({
  delivery: 'daily',
  immediateMinRank: null,
  digestHour,
  digestWeekday: 1,
});
const weekly = (digestWeekday: number, digestHour: number): DeliverySettings => ({
  ...daily(digestHour),
  delivery: 'weekly',
  digestWeekday,
});
const next = (settings: DeliverySettings, zone: string, after: string) =>
  nextDigestAt(settings, zone, new Date(after))?.toISOString();

describe('nextDigestAt', () => {
  it('is null for immediate delivery', () => {
    expect(
      next({ ...daily(8), delivery: 'immediate' }, 'Asia/Almaty', '2026-12-04T10:00:00Z'),
    ).toBeUndefined();
  });

  it('is today at the hour in the zone while the hour is still ahead', () => {
    // 01:00 UTC is 06:00 in Almaty (UTC+5 since 2024); 08:00 there is 03:00 UTC.
    expect(next(daily(8), 'Asia/Almaty', '2026-12-04T01:00:00Z')).toBe('2026-12-04T03:00:00.000Z');
  });

  it('is tomorrow once the hour has passed today, or is now', () => {
    expect(next(daily(8), 'Asia/Almaty', '2026-12-04T03:00:01Z')).toBe('2026-12-05T03:00:00.000Z');
    expect(next(daily(8), 'Asia/Almaty', '2026-12-04T03:00:00Z')).toBe('2026-12-05T03:00:00.000Z');
  });

  it('reads the hour in the zone, whose date may differ from UTC', () => {
    // 22:00 UTC on the 4th is already 07:00 on the 5th in Tokyo.
    expect(next(daily(8), 'Asia/Tokyo', '2026-12-04T22:00:00Z')).toBe('2026-12-04T23:00:00.000Z');
    // 23:30 UTC on the 4th is 18:30 on the 4th in New York (UTC−5).
    expect(next(daily(0), 'America/New_York', '2026-12-04T23:30:00Z')).toBe('2026-12-05T05:00:00.000Z');
    expect(next(daily(5), 'Asia/Kolkata', '2026-12-04T00:00:00Z')).toBe('2026-12-04T23:30:00.000Z');
  });

  it('keeps the local hour across a change to summer time', () => {
    // London goes from UTC+0 to UTC+1 at 01:00 UTC on 29 March 2026: 08:00 is 08:00 UTC the day before, 07:00 UTC after.
    expect(next(daily(8), 'Europe/London', '2026-03-28T09:00:00Z')).toBe('2026-03-29T07:00:00.000Z');
    expect(next(daily(8), 'Europe/London', '2026-03-27T09:00:00Z')).toBe('2026-03-28T08:00:00.000Z');
  });

  it('keeps the local hour across a change back to winter time', () => {
    // London goes back to UTC+0 at 01:00 UTC on 25 October 2026.
    expect(next(daily(8), 'Europe/London', '2026-10-24T08:00:00Z')).toBe('2026-10-25T08:00:00.000Z');
  });

  it('sends at the end of the gap when the hour is skipped, and at the first of two when it repeats', () => {
    // Berlin skips 02:00–03:00 on 29 March 2026 (01:00 UTC): a 02:00 digest goes at 03:00 local.
    expect(next(daily(2), 'Europe/Berlin', '2026-03-28T12:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
    // London has 01:00 twice on 25 October 2026 (00:00 UTC, then 01:00 UTC): the first.
    expect(next(daily(1), 'Europe/London', '2026-10-24T12:00:00Z')).toBe('2026-10-25T00:00:00.000Z');
    // And the one after is the next day's, not the repeat.
    expect(next(daily(1), 'Europe/London', '2026-10-25T00:00:00Z')).toBe('2026-10-26T01:00:00.000Z');
  });

  it('goes out on the weekday for a weekly digest', () => {
    // Friday 4 December 2026. Monday (1) 08:00 in Almaty is 03:00 UTC on the 7th.
    expect(next(weekly(1, 8), 'Asia/Almaty', '2026-12-04T10:00:00Z')).toBe('2026-12-07T03:00:00.000Z');
    // Friday (5) itself while its hour is ahead, and a week on once it has passed.
    expect(next(weekly(5, 18), 'Asia/Almaty', '2026-12-04T10:00:00Z')).toBe('2026-12-04T13:00:00.000Z');
    expect(next(weekly(5, 8), 'Asia/Almaty', '2026-12-04T10:00:00Z')).toBe('2026-12-11T03:00:00.000Z');
    // Sunday is 7.
    expect(next(weekly(7, 9), 'UTC', '2026-12-04T10:00:00Z')).toBe('2026-12-06T09:00:00.000Z');
  });

  it('follows one digest with the next', () => {
    const first = nextDigestAt(daily(8), 'Asia/Almaty', new Date('2026-12-04T01:00:00Z'))!;
    expect(nextDigestAt(daily(8), 'Asia/Almaty', first)?.toISOString()).toBe('2026-12-05T03:00:00.000Z');
  });
});

describe('digestZoneOf', () => {
  it('is the subscriber’s zone, else its first area’s, else UTC for everywhere', () => {
    expect(digestZoneOf('Europe/London', ['KZ'])).toBe('Europe/London');
    expect(digestZoneOf(null, ['KZ-75'])).toBe('Asia/Almaty');
    expect(digestZoneOf(null, ['*'])).toBe('UTC');
    expect(digestZoneOf(null, ['*', 'GB'])).toBe('Europe/London');
  });
});
