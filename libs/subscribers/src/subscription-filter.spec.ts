import { FilteredChange, filterMatches, SubscriptionFilter } from './subscription-filter';

const everything: SubscriptionFilter = { areas: ['*'], schemeId: null, minRank: null, events: null };
const change = (overrides: Partial<FilteredChange> = {}): FilteredChange => ({
  areaCode: 'KZ-75',
  schemeId: 'kz-terror',
  previousRank: 2,
  currentRank: 3,
  direction: 'escalated',
  ...overrides,
});

describe('filterMatches', () => {
  it.each([
    [['*'], 'KZ-75', true],
    [['KZ'], 'KZ', true],
    [['KZ'], 'KZ-75', true],
    [['KZ-75'], 'KZ-75', true],
    [['KZ-75'], 'KZ', true],
    [['KZ-75'], 'KZ-19', false],
    [['KZ-75'], 'KG', false],
    [['KG'], 'KZ', false],
    [['KG', 'KZ-19'], 'KZ', true],
  ])('areas %j cover a change in %s: %s', (areas, areaCode, expected) => {
    expect(filterMatches({ ...everything, areas }, change({ areaCode }))).toBe(expected);
  });

  it('keeps to its scheme when it names one', () => {
    expect(filterMatches({ ...everything, schemeId: 'kz-terror' }, change())).toBe(true);
    expect(filterMatches({ ...everything, schemeId: 'travel-advisory' }, change())).toBe(false);
  });

  it.each([
    [3, 2, 3, true],
    [3, 3, 2, true],
    [3, 1, 2, false],
    [1, null, 1, true],
    [2, 2, null, true],
    [3, 2, null, false],
  ])('minRank %s against %s → %s: %s', (minRank, previousRank, currentRank, expected) => {
    expect(filterMatches({ ...everything, minRank }, change({ previousRank, currentRank }))).toBe(expected);
  });

  it.each([
    [['escalated'], 'escalated', true],
    [['escalated'], 'deescalated', false],
    [['deescalated'], 'deescalated', true],
    [['escalated', 'deescalated'], 'deescalated', true],
    [['escalated'], 'unchanged', true],
  ] as const)('events %j and a change %s: %s', (events, direction, expected) => {
    expect(filterMatches({ ...everything, events: [...events] }, change({ direction }))).toBe(expected);
  });
});
