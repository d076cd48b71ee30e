import { keysetInstant, KeysetPosition, keysetSlice, Positioned } from './keyset';

const row = (instant: string, id: string): Positioned<{ id: string }> => ({ id, position: { instant, id } });
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('keysetInstant', () => {
  it('renders a Date as the SQL renders a timestamp: UTC, six fraction digits', () => {
    expect(keysetInstant(new Date('2022-01-05T10:00:00.123+06:00'))).toBe('2022-01-05T04:00:00.123000Z');
  });
});

describe('keysetSlice', () => {
  // Three rows in one microsecond, one a microsecond later, one a millisecond earlier.
  const rows = [
    row('2026-11-27T09:00:00.000001Z', 'b'),
    row('2026-11-27T09:00:00.000001Z', 'c'),
    row('2026-11-27T09:00:00.000002Z', 'a'),
    row('2026-11-27T08:59:59.999001Z', 'z'),
    row('2026-11-27T09:00:00.000001Z', 'a'),
  ];

  it('orders newest first, ties by the greater id, whatever order it is given', () => {
    expect(ids(keysetSlice(rows, { limit: 10 }))).toEqual(['a', 'c', 'b', 'a', 'z']);
  });

  it('pages through rows sharing an instant without losing or repeating one', () => {
    const seen: string[] = [];
    let after: KeysetPosition | undefined;
    for (;;) {
      const page = keysetSlice(rows, { after, limit: 2 });
      if (page.length === 0) break;
      seen.push(...page.map((r) => `${r.position.instant} ${r.id}`));
      after = page[page.length - 1].position;
    }
    expect(seen).toEqual(keysetSlice(rows, { limit: 10 }).map((r) => `${r.position.instant} ${r.id}`));
  });

  it('starts after a position whose row is gone, where that row was', () => {
    const after = { instant: '2026-11-27T09:00:00.000001Z', id: 'bb' };
    expect(ids(keysetSlice(rows, { after, limit: 10 }))).toEqual(['b', 'a', 'z']);
  });

  it('repeats nothing when a newer row arrives between two pages', () => {
    const first = keysetSlice(rows, { limit: 2 });
    const grown = [...rows, row('2026-11-28T00:00:00.000000Z', 'new')];
    const second = keysetSlice(grown, { after: first[1].position, limit: 10 });
    expect([...ids(first), ...ids(second)]).toEqual(['a', 'c', 'b', 'a', 'z']);
  });
});
