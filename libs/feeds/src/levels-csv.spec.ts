import type { Area } from '@tocsin/areas';
import type { EffectiveLevel } from '@tocsin/declarations';
import { LEVELS_CSV_COLUMNS, renderLevelsCsv } from './levels-csv';

const ALMATY: Area = { code: 'KZ-75', name: 'Almaty', type: 'subdivision', parent: 'KZ' };
const FRANCE: Area = { code: 'FR', name: 'France', type: 'country', parent: null };

function level(overrides: Partial<EffectiveLevel> = {}): EffectiveLevel {
  return {
    areaCode: 'KZ-75',
    schemeId: 'kz-terror',
    level: { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' },
    declarationId: 'dcl_1',
    source: 'KZ-75',
    since: new Date('2022-01-13T06:00:00Z'),
    until: new Date('2022-01-25T18:00:00Z'),
    ...overrides,
  };
}

describe('renderLevelsCsv', () => {
  it('writes a header row, then one CRLF-ended row per area and scheme', () => {
    const csv = renderLevelsCsv([
      { area: ALMATY, level: level() },
      {
        area: FRANCE,
        level: level({
          areaCode: 'FR',
          schemeId: 'fr-vigipirate',
          level: { code: 'urgence-attentat', rank: 3, name: 'Urgence attentat', color: null },
          declarationId: 'dcl_2',
          source: 'FR',
          until: null,
        }),
      },
    ]);
    expect(csv.split('\r\n')).toEqual([
      LEVELS_CSV_COLUMNS.join(','),
      'KZ-75,Almaty,subdivision,KZ,kz-terror,red,3,Critical,dcl_1,KZ-75,2022-01-13T06:00:00.000Z,2022-01-25T18:00:00.000Z',
      'FR,France,country,,fr-vigipirate,urgence-attentat,3,Urgence attentat,dcl_2,FR,2022-01-13T06:00:00.000Z,',
      '',
    ]);
  });

  it('is just the header row when no area has a level', () => {
    expect(renderLevelsCsv([])).toBe(`${LEVELS_CSV_COLUMNS.join(',')}\r\n`);
  });

  it('quotes commas and quotes, and defuses a name a spreadsheet would run as a formula', () => {
    const csv = renderLevelsCsv([
      {
        area: { ...ALMATY, name: 'Almaty, "city"' },
        level: level({ level: { code: 'x', rank: 1, name: '=HYPERLINK("http://evil")', color: null } }),
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe(
      `KZ-75,"Almaty, ""city""",subdivision,KZ,kz-terror,x,1,"'=HYPERLINK(""http://evil"")",dcl_1,KZ-75,` +
        '2022-01-13T06:00:00.000Z,2022-01-25T18:00:00.000Z',
    );
  });
});
