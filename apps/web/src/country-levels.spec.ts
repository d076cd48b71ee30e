import type { EffectiveLevel } from './api';
import { countryLevels, describeCountryLevel } from './country-levels';

const RED = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };
const ORANGE = { code: 'orange', rank: 2, name: 'High', color: '#f57c00' };
const YELLOW = { code: 'yellow', rank: 1, name: 'Moderate', color: '#fbc02d' };
const TRAVEL_3 = { code: '3', rank: 3, name: 'Reconsider travel', color: '#f57c00' };

function level(code: string, scheme: string, lvl: EffectiveLevel['level'], since = '2022-01-07T00:00:00Z') {
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

describe('countryLevels', () => {
  it('colours a country by its own level in its default scheme, whatever other schemes say', () => {
    const map = countryLevels(
      [level('KZ', 'travel-advisory', TRAVEL_3, '2022-02-01T00:00:00Z'), level('KZ', 'kz-terror', ORANGE)],
      defaults,
    );
    expect(map.get('KZ')).toMatchObject({ scheme: 'kz-terror', level: ORANGE, partial: false });
  });

  it('takes the most recent level when none is in the default scheme', () => {
    const map = countryLevels(
      [
        level('FR', 'travel-advisory', TRAVEL_3, '2022-01-01T00:00:00Z'),
        level('FR', 'uk-terror', RED, '2022-03-01T00:00:00Z'),
      ],
      defaults,
    );
    expect(map.get('FR')).toMatchObject({ scheme: 'uk-terror', level: RED });
  });

  it('marks a country with levels only in its regions as partial, with the highest of them', () => {
    const map = countryLevels(
      [
        level('KZ-75', 'kz-terror', RED),
        level('KZ-19', 'kz-terror', RED),
        level('KZ-71', 'kz-terror', YELLOW),
      ],
      defaults,
    );
    expect(map.get('KZ')).toMatchObject({ level: RED, partial: true, subdivisions: 2 + 1 });
  });

  it("prefers the country's own level to its regions'", () => {
    const map = countryLevels([level('KZ-75', 'kz-terror', RED), level('KZ', 'kz-terror', YELLOW)], defaults);
    expect(map.get('KZ')).toMatchObject({ level: YELLOW, partial: false });
  });

  it('says in words what the colour says', () => {
    const map = countryLevels([level('KZ-75', 'kz-terror', RED)], defaults);
    expect(describeCountryLevel('Kazakhstan', map.get('KZ'), 'Kazakhstan terrorism threat levels')).toBe(
      'Kazakhstan: Critical (red) in 1 region, Kazakhstan terrorism threat levels',
    );
    expect(describeCountryLevel('Chile', undefined, '')).toBe('Chile: no level declared');
  });
});
