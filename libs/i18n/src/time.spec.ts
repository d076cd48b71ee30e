import { canonicalTimeZone, formatInstant, formatLongInstant, isTimeZone, utcOffset } from './time';

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

describe('formatLongInstant', () => {
  // 7 January 2022 03:00 UTC: 09:00 in Almaty (UTC+6 all year then), 08:30 in Kolkata.
  const at = new Date('2022-01-07T03:00:00Z');

  it.each([
    ['en', 'Asia/Almaty', 'Friday, 7 January 2022 at 09:00 (UTC+6)'],
    ['en-US', 'Asia/Almaty', 'Friday, January 7, 2022 at 09:00 (UTC+6)'],
    ['ru', 'Asia/Almaty', 'пятница, 7 января 2022 г. в 09:00 (UTC+6)'],
    ['kk', 'Asia/Almaty', '2022 ж. 7 қаңтар, жұма, 09:00 (UTC+6)'],
    ['en', 'Asia/Kolkata', 'Friday, 7 January 2022 at 08:30 (UTC+5:30)'],
    ['ru', 'Asia/Kolkata', 'пятница, 7 января 2022 г. в 08:30 (UTC+5:30)'],
    ['en', 'Europe/London', 'Friday, 7 January 2022 at 03:00 (UTC)'],
    ['en', 'America/St_Johns', 'Thursday, 6 January 2022 at 23:30 (UTC-3:30)'],
  ])('in %j and %j', (lang, zone, expected) => {
    expect(formatLongInstant(at, lang, zone)).toBe(expected);
  });

  it('writes the weekday and minute of the zone, not of UTC, and no seconds', () => {
    // 18:00:59 UTC on Tuesday is already Wednesday in Almaty.
    expect(formatLongInstant(new Date('2022-01-25T18:00:59Z'), 'en', 'Asia/Almaty')).toBe(
      'Wednesday, 26 January 2022 at 00:00 (UTC+6)',
    );
  });

  it('shows summer time as the offset of that day', () => {
    expect(formatLongInstant(new Date('2022-07-01T12:00:00Z'), 'en', 'Europe/London')).toBe(
      'Friday, 1 July 2022 at 13:00 (UTC+1)',
    );
  });

  it('throws for an unknown zone', () => {
    expect(() => formatLongInstant(at, 'en', 'Asia/Nowhere')).toThrow(RangeError);
  });
});

describe('utcOffset', () => {
  const at = new Date('2022-01-07T03:00:00Z');

  it.each([
    ['Asia/Almaty', 'UTC+6'],
    ['Asia/Kolkata', 'UTC+5:30'],
    ['Asia/Kathmandu', 'UTC+5:45'],
    ['America/New_York', 'UTC-5'],
    ['UTC', 'UTC'],
    ['Europe/London', 'UTC'],
  ])('of %j is %j', (zone, expected) => {
    expect(utcOffset(at, zone)).toBe(expected);
  });
});
