import type { EffectiveLevel } from './api';
import { countryLevels } from './country-levels';
import { regionalLevels, regionFill } from './region-levels';

const RED = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };
const ORANGE = { code: 'orange', rank: 2, name: 'High', color: '#f57c00' };
const YELLOW = { code: 'yellow', rank: 1, name: 'Moderate', color: '#fbc02d' };
const TRAVEL_2 = { code: '2', rank: 2, name: 'Exercise caution', color: '#fbc02d' };

function level(code: string, scheme: string, lvl: EffectiveLevel['level'], since = '2022-01-13T06:00:00Z') {
  const country = code.slice(0, 2);
  return {
    area: {
      code,
      name: code,
      type: code === country ? 'country' : 'subdivision',
      parent: code === country ? null : country,
    },
    scheme,
    level: lvl,
    declarationId: `dcl_${code}_${scheme}`,
    source: code,
    since,
    until: null,
  } as EffectiveLevel;
}

const defaults = new Map([
  ['KZ', 'kz-terror'],
  ['FR', 'fr-vigipirate'],
]);

// 13 January 2022 (test/support/kazakhstan-2022.ts): red lifted for the country, kept in three regions.
const JANUARY_13 = [
  level('KZ-75', 'kz-terror', RED),
  level('KZ-19', 'kz-terror', RED),
  level('KZ-31', 'kz-terror', RED),
  level('KZ-71', 'kz-terror', ORANGE),
  level('KZ-23', 'kz-terror', YELLOW),
];

describe('regionalLevels', () => {
  it('lists, by country, only the subdivisions with a level of their own', () => {
    const regional = regionalLevels([...JANUARY_13, level('GB', 'uk-terror', RED)], defaults);
    expect([...regional.keys()]).toEqual(['KZ']);
    expect(new Map([...regional.get('KZ')!].map(([code, l]) => [code, l.level.code]))).toEqual(
      new Map([
        ['KZ-75', 'red'],
        ['KZ-19', 'red'],
        ['KZ-31', 'red'],
        ['KZ-71', 'orange'],
        ['KZ-23', 'yellow'],
      ]),
    );
  });

  it('needs no region shapes where only countries have levels', () => {
    expect(
      regionalLevels([level('KZ', 'kz-terror', RED), level('FR', 'fr-vigipirate', RED)], defaults).size,
    ).toBe(0);
  });

  it("takes a region's level in its country's default scheme over a later one in another scheme", () => {
    const regional = regionalLevels(
      [
        level('KZ-75', 'travel-advisory', TRAVEL_2, '2022-02-01T00:00:00Z'),
        level('KZ-75', 'kz-terror', ORANGE),
      ],
      defaults,
    );
    expect(regional.get('KZ')?.get('KZ-75')).toMatchObject({ scheme: 'kz-terror', level: ORANGE });
  });

  it('else takes the level that started last', () => {
    const regional = regionalLevels(
      [
        level('GB-LND', 'travel-advisory', TRAVEL_2, '2022-01-01T00:00:00Z'),
        level('GB-LND', 'uk-terror', RED, '2022-03-01T00:00:00Z'),
      ],
      defaults,
    );
    expect(regional.get('GB')?.get('GB-LND')).toMatchObject({ scheme: 'uk-terror' });
  });
});

describe('regionFill', () => {
  const regional = regionalLevels(JANUARY_13, defaults);

  it('fills a region with its own level: Almaty city red, Astana orange', () => {
    expect(regionFill({ code: 'KZ-75' }, regional.get('KZ'), undefined)).toMatchObject({
      level: RED,
      from: 'region',
    });
    expect(regionFill({ code: 'KZ-71' }, regional.get('KZ'), undefined)).toMatchObject({
      level: ORANGE,
      from: 'region',
    });
  });

  it('leaves a region without a level unfilled while its country has none of its own', () => {
    const countries = countryLevels(JANUARY_13, defaults);
    expect(countries.get('KZ')?.partial).toBe(true);
    expect(regionFill({ code: 'KZ-39' }, regional.get('KZ'), countries.get('KZ'))).toBeNull();
  });

  it("fills a region without a level of its own with its country's own level", () => {
    const levels = [level('KZ', 'kz-terror', YELLOW), level('KZ-75', 'kz-terror', RED)];
    const countries = countryLevels(levels, defaults);
    const regions = regionalLevels(levels, defaults).get('KZ');
    expect(regionFill({ code: 'KZ-39' }, regions, countries.get('KZ'))).toMatchObject({
      level: YELLOW,
      from: 'country',
    });
    expect(regionFill({ code: 'KZ-75' }, regions, countries.get('KZ'))).toMatchObject({ level: RED });
  });

  it('fills a département with the level of the région it lies within', () => {
    const regions = regionalLevels([level('FR-IDF', 'fr-vigipirate', RED)], defaults).get('FR');
    expect(regionFill({ code: 'FR-75', within: 'FR-IDF' }, regions, undefined)).toMatchObject({
      level: RED,
      from: 'within',
    });
    expect(regionFill({ code: 'FR-13', within: 'FR-PAC' }, regions, undefined)).toBeNull();
  });
});
