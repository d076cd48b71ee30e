import { isNotModified } from './conditional-get';

const current = { etag: '"abc"', lastModified: new Date('2022-01-13T06:00:00.400Z') };

describe('isNotModified', () => {
  it.each([
    ['the same tag', '"abc"', true],
    ['the same tag, weak', 'W/"abc"', true],
    ['the tag among others', '"old", "abc"', true],
    ['any tag', '*', true],
    ['another tag', '"old"', false],
  ])('is %s for If-None-Match %s', (_case, ifNoneMatch, expected) => {
    expect(isNotModified({ 'if-none-match': ifNoneMatch }, current)).toBe(expected);
  });

  it('goes by If-None-Match alone when both are sent', () => {
    expect(
      isNotModified(
        { 'if-none-match': '"old"', 'if-modified-since': 'Thu, 13 Jan 2022 06:00:00 GMT' },
        current,
      ),
    ).toBe(false);
  });

  it('compares If-Modified-Since to the second', () => {
    expect(isNotModified({ 'if-modified-since': 'Thu, 13 Jan 2022 06:00:00 GMT' }, current)).toBe(true);
    expect(isNotModified({ 'if-modified-since': 'Thu, 13 Jan 2022 06:00:01 GMT' }, current)).toBe(true);
    expect(isNotModified({ 'if-modified-since': 'Thu, 13 Jan 2022 05:59:59 GMT' }, current)).toBe(false);
  });

  it('is false without conditions, for a bad date, or with nothing to compare it to', () => {
    expect(isNotModified({}, current)).toBe(false);
    expect(isNotModified({ 'if-modified-since': 'yesterday' }, current)).toBe(false);
    expect(
      isNotModified(
        { 'if-modified-since': 'Thu, 13 Jan 2022 06:00:00 GMT' },
        { ...current, lastModified: null },
      ),
    ).toBe(false);
  });
});
