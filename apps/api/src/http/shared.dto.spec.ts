import { validate } from 'class-validator';
import { AtQuery, IsAreaCode, isInstant } from './shared.dto';

describe('isInstant', () => {
  it.each([
    ['2022-01-07T09:00:00+06:00', true],
    ['2022-01-07T09:00Z', true],
    ['2022-01-07T09:00:00.123456789Z', true],
    ['2024-02-29T00:00:00Z', true],
    ['0004-02-29T00:00:00Z', true], // a leap year, though Date.UTC would read it as 1904
    ['0001-01-01T00:00:00Z', true],
    ['0001-01-01T00:30:00+00:30', true], // the first instant, written in another zone
    ['9999-12-31T23:59:59.999Z', true],
    ['2022-01-07T09:00:00', false], // no time zone
    ['2022-01-07', false],
    ['2022-02-30T00:00:00Z', false],
    ['2023-02-29T00:00:00Z', false],
    ['2022-01-07T09:60:00Z', false],
    ['0000-01-01T00:00:00Z', false], // PostgreSQL has no year 0
    ['0001-01-01T00:00:00+01:00', false], // year 0 in UTC
    ['9999-12-31T23:59:59-01:00', false], // year 10000 in UTC
    ['+275760-09-13T00:00:00Z', false],
    [' 275760-09-13T00:00:00Z', false],
    [20220107, false],
    [['2022-01-07T09:00:00Z'], false],
  ])('%p → %p', (value, expected) => {
    expect(isInstant(value)).toBe(expected);
  });
});

describe('IsInstant', () => {
  const messageFor = async (at: string) =>
    Object.values((await validate(Object.assign(new AtQuery(), { at })))[0]?.constraints ?? {});

  it('says an instant out of range is out of range, and a malformed one how to write it', async () => {
    expect(await messageFor('0000-01-01T00:00:00Z')).toEqual([
      'must lie between the years 0001 and 9999 (UTC)',
    ]);
    expect(await messageFor('2022-01-07')).toEqual([
      'must be an ISO 8601 date-time with a time zone, e.g. 2022-01-07T09:00:00+06:00',
    ]);
    expect(await messageFor('2022-01-07T09:00:00Z')).toEqual([]);
  });
});

describe('IsAreaCode', () => {
  class One {
    @IsAreaCode() area!: unknown;
  }
  class Filter {
    @IsAreaCode({ each: true, everywhere: true }) areas!: unknown[];
  }
  const problems = async (value: object) =>
    (await validate(value)).flatMap((error) => Object.values(error.constraints ?? {}));

  it.each(['KZ', 'kz', 'KZ-75', 'GB-ENG', 'KZ-ALA', 'XX'])(
    'takes the shape of %p, known or not',
    async (area) => {
      expect(await problems(Object.assign(new One(), { area }))).toEqual([]);
    },
  );

  it.each(['Kazakhstan', 'K', 'KZ-', 'KZ-1234', '*', ' KZ', 7])(
    'refuses %p, saying what a code looks like',
    async (area) => {
      expect(await problems(Object.assign(new One(), { area }))).toEqual([
        'must be an ISO 3166 code such as KZ or KZ-75',
      ]);
    },
  );

  it('takes * in a filter, and names the rule for each code', async () => {
    expect(await problems(Object.assign(new Filter(), { areas: ['*', 'KZ-75'] }))).toEqual([]);
    expect(await problems(Object.assign(new Filter(), { areas: ['KZ', 'everywhere'] }))).toEqual([
      'each must be an ISO 3166 code such as KZ or KZ-75, or *',
    ]);
  });
});
