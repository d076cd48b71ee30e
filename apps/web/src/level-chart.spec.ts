import type { LevelChange } from './api';
import { NO_COLOR } from './contrast';
import { setLanguage } from './i18n';
import {
  chartLayout,
  describeChart,
  describeStep,
  levelRows,
  stepColor,
  stepsByScheme,
  tickLabel,
  timeTicks,
} from './level-chart';

const LOW = { code: 'low', rank: 1, name: 'Low', color: '#388e3c' };
const MODERATE = { code: 'moderate', rank: 2, name: 'Moderate', color: '#afb42b' };
const SUBSTANTIAL = { code: 'substantial', rank: 3, name: 'Substantial', color: '#fbc02d' };
const SEVERE = { code: 'severe', rank: 4, name: 'Severe', color: '#f57c00' };
const CRITICAL = { code: 'critical', rank: 5, name: 'Critical', color: '#d32f2f' };
const UK_LEVELS = [CRITICAL, LOW, SEVERE, MODERATE, SUBSTANTIAL];
const RED = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };

type Lvl = typeof LOW;
const ms = (iso: string) => Date.parse(iso);

function change(at: string, previous: Lvl | null, current: Lvl | null, scheme = 'uk-terror'): LevelChange {
  return {
    at,
    area: { code: 'GB', name: 'United Kingdom', type: 'country', parent: null },
    scheme,
    cause: current ? 'declared' : 'expired',
    previous: previous && { ...previous, source: 'GB' },
    current: current && { ...current, source: 'GB' },
    direction: 'unchanged',
    declarationId: `dcl_${at}`,
    by: current ? 'JTAC' : null,
  };
}

// The first five UK changes, newest first as the API sends them.
const UK_2006_2007 = [
  change('2007-07-04T00:00:00.000Z', CRITICAL, SEVERE),
  change('2007-06-30T00:00:00.000Z', SEVERE, CRITICAL),
  change('2006-08-14T00:00:00.000Z', CRITICAL, SEVERE),
  change('2006-08-10T00:00:00.000Z', SEVERE, CRITICAL),
  change('2006-08-01T00:00:00.000Z', null, SEVERE),
];

describe('stepsByScheme', () => {
  it('turns a newest-first history into steps oldest first, each until the next change', () => {
    const steps = stepsByScheme(UK_2006_2007).get('uk-terror')!;
    expect(steps.map((s) => [new Date(s.from).toISOString(), s.level?.code, s.until])).toEqual([
      ['2006-08-01T00:00:00.000Z', 'severe', ms('2006-08-10T00:00:00Z')],
      ['2006-08-10T00:00:00.000Z', 'critical', ms('2006-08-14T00:00:00Z')],
      ['2006-08-14T00:00:00.000Z', 'severe', ms('2007-06-30T00:00:00Z')],
      ['2007-06-30T00:00:00.000Z', 'critical', ms('2007-07-04T00:00:00Z')],
      ['2007-07-04T00:00:00.000Z', 'severe', null],
    ]);
  });

  it('keeps each scheme apart, sorted by scheme', () => {
    const steps = stepsByScheme([
      change('2022-01-07T00:00:00Z', null, RED, 'kz-terror'),
      change('2022-01-08T00:00:00Z', null, SEVERE),
    ]);
    expect([...steps.keys()]).toEqual(['kz-terror', 'uk-terror']);
    expect(steps.get('kz-terror')!.map((s) => s.level?.code)).toEqual(['red']);
  });

  it('makes a period without a level a step of its own, the last one too', () => {
    const steps = stepsByScheme([
      change('2022-01-13T06:00:00Z', RED, null, 'kz-terror'),
      change('2022-01-06T18:00:00Z', null, RED, 'kz-terror'),
    ]).get('kz-terror')!;
    expect(steps.map((s) => [s.level?.code ?? null, s.until])).toEqual([
      ['red', ms('2022-01-13T06:00:00Z')],
      [null, null],
    ]);
  });

  it('keeps the level without the declaration the history adds, and the area it was declared for', () => {
    const [step] = stepsByScheme([change('2022-01-08T00:00:00Z', null, SEVERE)]).get('uk-terror')!;
    expect(step.level).toEqual({ ...SEVERE, translations: undefined });
    expect(step.source).toBe('GB');
  });
});

describe('levelRows', () => {
  const steps = stepsByScheme(UK_2006_2007).get('uk-terror')!;

  it('lists every level of the scheme by rank, bottom to top, used or not', () => {
    expect(levelRows(UK_LEVELS, steps).map((l) => l?.code)).toEqual([
      'low',
      'moderate',
      'substantial',
      'severe',
      'critical',
    ]);
  });

  it('puts "no level" at the bottom only when a period had none', () => {
    const gap = stepsByScheme([
      change('2022-01-08T00:00:00Z', null, SEVERE),
      change('2022-01-09T00:00:00Z', SEVERE, null),
    ]).get('uk-terror')!;
    expect(levelRows([SEVERE, LOW], gap).map((l) => l?.code ?? null)).toEqual([null, 'low', 'severe']);
  });

  it('adds a level the scheme no longer lists, in its rank', () => {
    expect(levelRows([LOW, CRITICAL], steps).map((l) => l?.code)).toEqual(['low', 'severe', 'critical']);
  });
});

describe('timeTicks', () => {
  const local = (...parts: [number, number, number?, number?]) =>
    new Date(...(parts as [number, number])).getTime();

  it('ticks every second year across the UK 2006–2024 history at ten ticks', () => {
    const ticks = timeTicks(local(2006, 7, 1), local(2024, 11, 4), 10);
    expect(ticks.map((t) => new Date(t.at).getFullYear())).toEqual([
      2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024,
    ]);
    expect(ticks.every((t) => t.unit === 'year' && new Date(t.at).getMonth() === 0)).toBe(true);
  });

  it('ticks every year when there is room', () => {
    expect(timeTicks(local(2006, 7, 1), local(2024, 11, 4), 20)).toHaveLength(18);
  });

  it('ticks months over a month or so, on the first of each in the reader’s calendar', () => {
    const ticks = timeTicks(local(2022, 0, 6), local(2022, 3, 20), 4);
    expect(ticks.map((t) => [t.unit, new Date(t.at).getMonth(), new Date(t.at).getDate()])).toEqual([
      ['month', 1, 1],
      ['month', 2, 1],
      ['month', 3, 1],
    ]);
  });

  it('ticks weeks from the first of the month, never the 29th', () => {
    const ticks = timeTicks(local(2022, 0, 1), local(2022, 2, 1), 10);
    expect(ticks.map((t) => `${new Date(t.at).getMonth()}/${new Date(t.at).getDate()}`)).toEqual([
      '0/1',
      '0/8',
      '0/15',
      '0/22',
      '1/1',
      '1/8',
      '1/15',
      '1/22',
      '2/1',
    ]);
  });

  it('ticks hours for a level declared a moment ago', () => {
    const ticks = timeTicks(local(2022, 0, 7, 9), local(2022, 0, 7, 12), 6);
    expect(ticks.map((t) => [t.unit, new Date(t.at).getHours()])).toEqual([
      ['hour', 9],
      ['hour', 10],
      ['hour', 11],
      ['hour', 12],
    ]);
  });

  it('never gives more ticks than asked', () => {
    for (const [start, end] of [
      [local(1900, 0, 1), local(2024, 0, 1)],
      [local(2022, 0, 1), local(2022, 0, 20)],
      [local(2022, 0, 1), local(2022, 0, 1, 1)],
    ])
      for (const max of [2, 5, 9]) expect(timeTicks(start, end, max).length).toBeLessThanOrEqual(max + 1);
  });
});

describe('tickLabel', () => {
  const aug2006 = new Date(2006, 7, 10, 14).getTime();

  it.each([
    ['year', 'en', '2006'],
    ['month', 'en', 'Aug 2006'],
    ['day', 'en', 'Aug 10'],
    ['month', 'ru', 'авг. 2006 г.'],
  ] as const)('writes a %s tick in %s by Intl', (unit, lang, label) => {
    expect(tickLabel({ at: aug2006, unit }, lang, true)).toBe(label);
  });

  it.each([
    ['year', '2006'],
    ['month', '08.2006'],
    ['day', '10.08'],
    ['hour', '10.08 14:00'],
  ] as const)('writes a %s tick in digits where the browser has no data for the language', (unit, label) => {
    expect(tickLabel({ at: aug2006, unit }, 'kk', false)).toBe(label);
  });
});

describe('stepColor', () => {
  it('colours a step by its level, a scheme without colours in grey, and a period without one not at all', () => {
    expect(stepColor({ from: 0, until: null, level: SEVERE, source: 'GB' })).toBe('#f57c00');
    expect(stepColor({ from: 0, until: null, level: { ...SEVERE, color: null }, source: 'GB' })).toBe(
      NO_COLOR,
    );
    expect(stepColor({ from: 0, until: null, level: null, source: null })).toBeNull();
  });
});

describe('chartLayout', () => {
  const steps = stepsByScheme(UK_2006_2007).get('uk-terror')!;
  const now = ms('2008-08-01T00:00:00Z');
  const layout = chartLayout(
    { scheme: 'uk-terror', schemeLevels: UK_LEVELS, steps, now },
    { width: 600, labelWidth: 100, rowHeight: 20, tickWidth: () => 30 },
  );

  it('runs from the first change to now, across the plot', () => {
    expect(layout.start).toBe(ms('2006-08-01T00:00:00Z'));
    expect(layout.end).toBe(now);
    expect(layout.steps[0].x1).toBe(layout.left);
    expect(layout.steps.at(-1)!.x2).toBe(layout.right);
  });

  it('places the steps left to right, each ending where the next begins', () => {
    for (let i = 1; i < layout.steps.length; i++) {
      expect(layout.steps[i].x1).toBeGreaterThan(layout.steps[i - 1].x1);
      expect(layout.steps[i].x1).toBe(layout.steps[i - 1].x2);
    }
  });

  it('puts each step on its level’s row, higher ranks higher up', () => {
    const rowY = new Map(layout.rows.map((r) => [r.level?.code, r.y]));
    expect(layout.steps.map((s) => s.y)).toEqual(
      ['severe', 'critical', 'severe', 'critical', 'severe'].map((c) => rowY.get(c)),
    );
    expect(rowY.get('critical')!).toBeLessThan(rowY.get('severe')!);
    expect(rowY.get('low')!).toBeGreaterThan(rowY.get('moderate')!);
  });

  it.each([320, 390, 600, 1280])('spaces the ticks at %ipx so that their labels never touch', (width) => {
    const ukSteps = [{ from: ms('2006-08-01T12:00:00Z'), until: null, level: SEVERE, source: 'GB' }];
    const placed = chartLayout(
      { scheme: 'uk-terror', schemeLevels: UK_LEVELS, steps: ukSteps, now: ms('2024-12-31T00:00:00Z') },
      { width, labelWidth: 90, rowHeight: 20, tickWidth: () => 50 },
    );
    expect(placed.ticks.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < placed.ticks.length; i++)
      expect(placed.ticks[i].x - placed.ticks[i - 1].x).toBeGreaterThanOrEqual(50 + 12);
  });

  it('starts at `since` where charts are read against each other, the first step further right', () => {
    const later = chartLayout(
      { scheme: 'uk-terror', schemeLevels: UK_LEVELS, steps: steps.slice(2), now, since: steps[0].from },
      { width: 600, labelWidth: 100, rowHeight: 20, tickWidth: () => 30 },
    );
    expect(later.start).toBe(layout.start);
    expect(later.steps[0].x1).toBeCloseTo(layout.steps[2].x1, 9);
  });

  it('gives a level declared just now an hour of line, not a zero-width chart', () => {
    const start = ms('2026-12-04T10:00:00Z');
    const single = chartLayout(
      {
        scheme: 'uk-terror',
        schemeLevels: UK_LEVELS,
        steps: [{ from: start, until: null, level: SEVERE, source: 'GB' }],
        now: start + 1000,
      },
      { width: 400, labelWidth: 80, rowHeight: 20, tickWidth: () => 30 },
    );
    expect(single.end - single.start).toBe(3_600_000);
    expect(single.steps[0].x2 - single.steps[0].x1).toBe(single.right - single.left);
  });
});

describe('describing the chart', () => {
  afterEach(() => setLanguage('en'));
  const steps = stepsByScheme(UK_2006_2007).get('uk-terror')!;
  const input = { scheme: 'uk-terror', schemeLevels: UK_LEVELS, steps, now: ms('2008-08-01T00:00:00Z') };

  it('says a step’s level and dates, or since when it holds', () => {
    expect(describeStep(steps[1], 'uk-terror')).toMatch(/^Critical: Aug 10, 2006, .+ – Aug 14, 2006, .+$/);
    expect(describeStep(steps[4], 'uk-terror')).toMatch(/^Severe: since Jul 4, 2007/);
    expect(describeStep({ ...steps[0], level: null, source: null }, 'x')).toMatch(/^No level: /);
  });

  it('says that a region’s step was declared for its country, and nothing of the kind on its own', () => {
    const fromCountry = { ...steps[1], source: 'GB' };
    expect(describeStep(fromCountry, 'uk-terror', 'GB-ENG')).toMatch(/ · countrywide \(GB\)$/);
    expect(describeStep({ ...fromCountry, source: 'GB-ENG' }, 'uk-terror', 'GB-ENG')).not.toContain(
      'countrywide',
    );
    expect(describeStep(fromCountry, 'uk-terror', 'GB')).not.toContain('countrywide');
  });

  it('summarises the number of changes, the span and the level now, in the pages’ language', () => {
    expect(describeChart(input, 'UK threat levels', 'United Kingdom')).toMatch(
      /^Step chart of UK threat levels in United Kingdom: 5 changes from Aug 1, 2006, .+ to Aug 1, 2008, .+; now Severe\. The history table lists every change\.$/,
    );
    setLanguage('ru');
    expect(describeChart(input, 'Уровни', 'Великобритания')).toMatch(
      /5 изменений с 1 авг\. 2006 г\..+сейчас — Severe\./,
    );
  });

  it('says a region’s chart gives its effective level and lists its steps with it', () => {
    expect(describeChart(input, 'UK threat levels', 'England', 'region')).toMatch(
      /^Step chart of UK threat levels in England, its effective level \(its own or its country's, whichever is higher\): 5 changes .+ The list that follows gives each step\.$/,
    );
  });

  it('says no level holds now when the last step is a period without one', () => {
    const ended = {
      ...input,
      steps: [
        { ...steps[0], level: SEVERE },
        { from: steps[0].until!, until: null, level: null, source: null },
      ],
    };
    expect(describeChart(ended, 'UK', 'United Kingdom')).toContain('now No level.');
  });
});
