import { canonicalTimeZone, formatInstant, isTimeZone } from './time';

describe('isTimeZone and canonicalTimeZone', () => {
  it.each([
    ['Asia/Almaty', 'Asia/Almaty'],
    ['asia/almaty', 'Asia/Almaty'],
    ['Europe/London', 'Europe/London'],
    ['UTC', 'UTC'],
  ])('%j is a zone, canonically %j', (zone, canonical) => {
    expect(isTimeZone(zone)).toBe(true);
    expect(canonicalTimeZone(zone)).toBe(canonical);
  });

  it.each(['', 'Asia/Nowhere', 'Mars/Olympus', '+06:00', '-05:00', 'GMT+6 please', 'A'.repeat(65)])(
    '%j is not a zone',
    (zone) => {
      expect(isTimeZone(zone)).toBe(false);
      expect(canonicalTimeZone(zone)).toBeNull();
    },
  );
});

describe('formatInstant', () => {
  // 25 January 2022 18:00:01 UTC: the minute after midnight in Almaty on the 26th.
  const at = new Date('2022-01-25T18:00:01Z');

  it.each([
    ['en', 'Asia/Almaty', '26 January 2022 at 00:00:01 GMT+06:00'],
    ['en', 'Europe/London', '25 January 2022 at 18:00:01 GMT+00:00'],
    ['en-US', 'Asia/Almaty', 'January 26, 2022 at 00:00:01 GMT+06:00'],
    ['ru', 'Asia/Almaty', '26 января 2022 г. в 00:00:01 GMT+06:00'],
    ['ru', 'Europe/London', '25 января 2022 г. в 18:00:01 GMT+00:00'],
    ['kk', 'Asia/Almaty', '2022 ж. 26 қаңтар, 00:00:01 GMT+06:00'],
    ['en_US', 'Asia/Almaty', '26 January 2022 at 00:00:01 GMT+06:00'],
  ])('in %j and %j', (lang, zone, expected) => {
    expect(formatInstant(at, lang, zone)).toBe(expected);
  });

  it('shows summer time as the offset of that day', () => {
    expect(formatInstant(new Date('2022-07-01T12:00:00Z'), 'en', 'Europe/London')).toBe(
      '1 July 2022 at 13:00:00 GMT+01:00',
    );
  });

  it('throws for an unknown zone', () => {
    expect(() => formatInstant(at, 'en', 'Asia/Nowhere')).toThrow(RangeError);
  });
});
