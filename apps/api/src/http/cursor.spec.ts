import { BadRequestException } from '@nestjs/common';
import { KeysetPosition, KeysetWindow, Positioned } from '@tocsin/database';
import { decodeCursor, encodeCursor, page } from './cursor';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const position = (instant: string, id: string): KeysetPosition => ({ instant, id });

describe('page cursors', () => {
  it('round-trip a position to the microsecond, as an opaque base64url string', () => {
    const at = position('2026-11-27T09:00:00.123456Z', 'dlv_0a1b');
    const cursor = encodeCursor(at);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(at);
  });

  it('decode the edges of years 0001 and 9999, and 29 February of a leap year', () => {
    for (const instant of [
      '0001-01-01T00:00:00.000000Z',
      '9999-12-31T23:59:59.999999Z',
      '2024-02-29T12:00:00.000000Z',
      '2000-02-29T12:00:00.000000Z',
    ])
      expect(decodeCursor(cursorOf([instant, 'dcl_1']))).toEqual(position(instant, 'dcl_1'));
  });

  it('pad fewer fraction digits to six, so a cursor handed out with milliseconds still decodes', () => {
    expect(decodeCursor(cursorOf(['2026-11-27T09:00:00.123Z', 'key_1']))).toEqual(
      position('2026-11-27T09:00:00.123000Z', 'key_1'),
    );
    expect(decodeCursor(cursorOf(['2026-11-27T09:00:00Z', 'key_1']))).toEqual(
      position('2026-11-27T09:00:00.000000Z', 'key_1'),
    );
  });

  it('read no cursor as the first page', () => {
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64url JSON', 'garbage'],
    [
      'a tampered cursor',
      encodeCursor(position('2026-11-27T09:00:00.123456Z', 'dlv_1')).slice(0, -3) + 'xyz',
    ],
    ['an empty cursor', ''],
    ['JSON that is not a pair', cursorOf({ instant: '2026-11-27T09:00:00Z', id: 'dlv_1' })],
    ['a pair of three', cursorOf(['2026-11-27T09:00:00Z', 'dlv_1', 'x'])],
    ['an offset (the old history cursor)', cursorOf(50)],
    ['a number for the id', cursorOf(['2026-11-27T09:00:00Z', 7])],
    ['an id with a NUL byte', cursorOf(['2026-11-27T09:00:00Z', 'dlv_\u0000'])],
    ['an id with a quote', cursorOf(['2026-11-27T09:00:00Z', "dlv_'"])],
    ['an empty id', cursorOf(['2026-11-27T09:00:00Z', ''])],
    ['an instant in a time zone', cursorOf(['2026-11-27T09:00:00+06:00', 'dlv_1'])],
    ['seven fraction digits', cursorOf(['2026-11-27T09:00:00.1234567Z', 'dlv_1'])],
    ['a date without a time', cursorOf(['2026-11-27', 'dlv_1'])],
    ['year 0000', cursorOf(['0000-12-31T23:59:59Z', 'dlv_1'])],
    ['year 10000', cursorOf(['+010000-01-01T00:00:00Z', 'dlv_1'])],
    ['a year before the era', cursorOf(['-000001-01-01T00:00:00Z', 'dlv_1'])],
    ['30 February', cursorOf(['2026-02-30T00:00:00Z', 'dlv_1'])],
    ['29 February of a common year', cursorOf(['1900-02-29T00:00:00Z', 'dlv_1'])],
    ['month 13', cursorOf(['2026-13-01T00:00:00Z', 'dlv_1'])],
    ['hour 24', cursorOf(['2026-11-27T24:00:00Z', 'dlv_1'])],
    ['a leap second', cursorOf(['2026-12-31T23:59:60Z', 'dlv_1'])],
    ['infinity', cursorOf(['infinity', 'dlv_1'])],
  ])('refuse %s with a 400', (_, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(BadRequestException);
    expect(() => decodeCursor(cursor)).toThrow(/cursor is not one this API handed out/);
  });
});

describe('page', () => {
  const rows: Positioned<{ id: string }>[] = ['c', 'b', 'a'].map((id) => ({
    id,
    position: position('2026-11-27T09:00:00.000001Z', id),
  }));
  const list = (window: KeysetWindow) => {
    asked.push(window);
    return Promise.resolve(
      rows.filter((r) => !window.after || r.id < window.after.id).slice(0, window.limit),
    );
  };
  let asked: KeysetWindow[];
  beforeEach(() => (asked = []));

  it('asks for one row more than a page, shows a page and points after its last row', async () => {
    const first = await page({ limit: 2 }, list, (r) => r.id);
    expect(asked).toEqual([{ after: undefined, limit: 3 }]);
    expect(first).toEqual({ items: ['c', 'b'], nextCursor: encodeCursor(rows[1].position) });
    const second = await page({ limit: 2, cursor: first.nextCursor! }, list, (r) => r.id);
    expect(asked[1]).toEqual({ after: rows[1].position, limit: 3 });
    expect(second).toEqual({ items: ['a'], nextCursor: null });
  });

  it('has no next page when the rows fill the page exactly', async () => {
    expect(await page({ limit: 3 }, list, (r) => r.id)).toEqual({ items: ['c', 'b', 'a'], nextCursor: null });
  });

  it('refuses a bad cursor before it lists anything', async () => {
    await expect(page({ limit: 2, cursor: 'garbage' }, list, (r) => r.id)).rejects.toThrow(
      BadRequestException,
    );
    expect(asked).toEqual([]);
  });
});
