import { holdsAt, LevelList } from './level-list';

const at = (iso: string) => new Date(iso);
const list = (instant: string, validUntil: string | null): LevelList => ({
  at: at(instant),
  items: [],
  validUntil: validUntil === null ? null : at(validUntil),
});

describe('holdsAt', () => {
  it('holds from its instant up to, not including, the next change', () => {
    const computed = list('2022-01-10T00:00:00Z', '2022-01-13T06:00:00Z');
    expect(holdsAt(computed, at('2022-01-10T00:00:00Z'))).toBe(true);
    expect(holdsAt(computed, at('2022-01-13T05:59:59.999Z'))).toBe(true);
    expect(holdsAt(computed, at('2022-01-13T06:00:00Z'))).toBe(false);
  });

  it('holds indefinitely when nothing is due', () => {
    expect(holdsAt(list('2022-01-10T00:00:00Z', null), at('2099-01-01T00:00:00Z'))).toBe(true);
  });

  it('does not hold before its instant, should the clock go back', () => {
    expect(holdsAt(list('2022-01-10T00:00:00Z', null), at('2022-01-09T23:59:59.999Z'))).toBe(false);
  });
});
