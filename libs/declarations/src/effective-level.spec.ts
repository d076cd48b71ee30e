import {
  directionOf,
  effectiveLevels,
  governingEntry,
  levelHistory,
  levelsOfDeclaredAreas,
  nextChangeAfter,
  supersededAtStart,
  TimelineEntry,
} from './effective-level';
import { ORANGE, RED, timelineEntries, YELLOW } from './testing/timeline-entries';

const entry = timelineEntries(new Date(Date.UTC(2030, 0, 1)));

const at = (iso: string) => new Date(iso);
const codeOf = (area: string, entries: TimelineEntry[], instant: string) =>
  effectiveLevels(area, area.slice(0, 2), entries, at(instant))[0]?.level.code ?? null;

describe('governingEntry', () => {
  it('is null before anything is declared', () => {
    expect(
      governingEntry([entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z')], at('2022-01-06T00:00:00Z')),
    ).toBeNull();
  });

  it('takes the declaration that started last, not the highest', () => {
    const red = entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z');
    const yellow = entry('d2', 'KZ', YELLOW, '2022-01-10T00:00:00Z');
    expect(governingEntry([red, yellow], at('2022-01-11T00:00:00Z'))?.declarationId).toBe('d2');
    expect(governingEntry([red, yellow], at('2022-01-09T00:00:00Z'))?.declarationId).toBe('d1');
  });

  it('is null once the governing declaration has expired, without reviving the one it superseded', () => {
    const red = entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z');
    const orange = entry('d2', 'KZ', ORANGE, '2022-01-10T00:00:00Z', { expiresAt: '2022-01-20T00:00:00Z' });
    expect(governingEntry([red, orange], at('2022-01-19T23:59:59Z'))?.declarationId).toBe('d2');
    expect(governingEntry([red, orange], at('2022-01-20T00:00:00Z'))).toBeNull();
  });

  it('ends a cancelled declaration at its cancellation, and ignores one cancelled before it started', () => {
    const active = entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z', { cancelledAt: '2022-01-08T00:00:00Z' });
    const neverStarted = entry('d2', 'KZ', ORANGE, '2022-01-09T00:00:00Z', {
      cancelledAt: '2022-01-08T12:00:00Z',
    });
    expect(governingEntry([active], at('2022-01-07T12:00:00Z'))?.declarationId).toBe('d1');
    expect(governingEntry([active], at('2022-01-08T00:00:00Z'))).toBeNull();
    const yellow = entry('d3', 'KZ', YELLOW, '2022-01-01T00:00:00Z');
    expect(governingEntry([yellow, neverStarted], at('2022-01-10T00:00:00Z'))?.declarationId).toBe('d3');
  });

  it('breaks a tie of start times in favour of the later-created declaration', () => {
    const first = entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z');
    const second = entry('d2', 'KZ', ORANGE, '2022-01-07T00:00:00Z');
    expect(governingEntry([second, first], at('2022-01-08T00:00:00Z'))?.declarationId).toBe('d2');
  });

  it('lets a history record with an older start stand behind the current declaration', () => {
    const current = entry('d1', 'KZ', ORANGE, '2022-01-10T00:00:00Z');
    const recordedLater = entry('d2', 'KZ', RED, '2022-01-05T00:00:00Z');
    expect(governingEntry([current, recordedLater], at('2022-01-11T00:00:00Z'))?.declarationId).toBe('d1');
    expect(governingEntry([current, recordedLater], at('2022-01-06T00:00:00Z'))?.declarationId).toBe('d2');
  });
});

describe('effectiveLevels', () => {
  it('gives a subdivision the higher of its own and its country level, naming the source', () => {
    const entries = [
      entry('country', 'KZ', ORANGE, '2022-01-01T00:00:00Z'),
      entry('city', 'KZ-75', RED, '2022-01-01T00:00:00Z'),
    ];
    expect(effectiveLevels('KZ-75', 'KZ', entries, at('2022-01-02T00:00:00Z'))).toEqual([
      expect.objectContaining({ areaCode: 'KZ-75', level: RED, declarationId: 'city', source: 'KZ-75' }),
    ]);
    expect(effectiveLevels('KZ-19', 'KZ', entries, at('2022-01-02T00:00:00Z'))).toEqual([
      expect.objectContaining({ areaCode: 'KZ-19', level: ORANGE, declarationId: 'country', source: 'KZ' }),
    ]);
  });

  it('takes the country level when it is higher than the subdivision own', () => {
    const entries = [
      entry('country', 'KZ', RED, '2022-01-01T00:00:00Z'),
      entry('city', 'KZ-75', YELLOW, '2022-01-01T00:00:00Z'),
    ];
    expect(effectiveLevels('KZ-75', 'KZ', entries, at('2022-01-02T00:00:00Z'))[0]).toMatchObject({
      source: 'KZ',
      level: RED,
    });
  });

  it('prefers the subdivision own declaration on equal rank', () => {
    const entries = [
      entry('country', 'KZ', RED, '2022-01-01T00:00:00Z'),
      entry('city', 'KZ-75', RED, '2022-01-01T00:00:00Z'),
    ];
    expect(effectiveLevels('KZ-75', 'KZ', entries, at('2022-01-02T00:00:00Z'))[0].source).toBe('KZ-75');
  });

  it('does not let a subdivision raise its country', () => {
    const entries = [entry('city', 'KZ-75', RED, '2022-01-01T00:00:00Z')];
    expect(effectiveLevels('KZ', 'KZ', entries, at('2022-01-02T00:00:00Z'))).toEqual([]);
  });

  it('keeps schemes apart, one level each', () => {
    const entries = [
      entry('terror', 'KZ', RED, '2022-01-01T00:00:00Z'),
      entry(
        'travel',
        'KZ',
        { code: '3', rank: 3, name: 'Reconsider travel', color: null },
        '2022-01-01T00:00:00Z',
        {
          scheme: 'travel-advisory',
        },
      ),
    ];
    expect(
      effectiveLevels('KZ', 'KZ', entries, at('2022-01-02T00:00:00Z')).map((l) => [l.schemeId, l.level.code]),
    ).toEqual([
      ['kz-terror', 'red'],
      ['travel-advisory', '3'],
    ]);
  });

  it('says until when a level holds: its expiry, or the start of a scheduled successor', () => {
    const red = entry('red', 'KZ-75', RED, '2022-01-13T06:00:00Z', { expiresAt: '2022-01-30T00:00:00Z' });
    const orange = entry('orange', 'KZ-75', ORANGE, '2022-01-25T18:00:00Z');
    const level = effectiveLevels('KZ-75', 'KZ', [red, orange], at('2022-01-14T00:00:00Z'))[0];
    expect(level.since).toEqual(at('2022-01-13T06:00:00Z'));
    expect(level.until).toEqual(at('2022-01-25T18:00:00Z'));
    expect(effectiveLevels('KZ-75', 'KZ', [orange], at('2022-01-26T00:00:00Z'))[0].until).toBeNull();
  });
});

describe('levelsOfDeclaredAreas', () => {
  const travel3 = { code: '3', rank: 3, name: 'Reconsider travel', color: null };

  it('lists each area in each scheme it has declarations of its own in, by area then scheme', () => {
    const entries = [
      entry('kg-travel', 'KG', travel3, '2022-01-01T00:00:00Z', { scheme: 'travel-advisory' }),
      entry('country', 'KZ', YELLOW, '2022-01-01T00:00:00Z'),
      entry('city', 'KZ-75', RED, '2022-01-01T00:00:00Z'),
      entry('kz-travel', 'KZ', travel3, '2022-01-01T00:00:00Z', { scheme: 'travel-advisory' }),
    ];
    expect(
      levelsOfDeclaredAreas(entries, at('2022-01-02T00:00:00Z')).map((l) => [
        l.areaCode,
        l.schemeId,
        l.declarationId,
      ]),
    ).toEqual([
      ['KG', 'travel-advisory', 'kg-travel'],
      ['KZ', 'kz-terror', 'country'],
      ['KZ', 'travel-advisory', 'kz-travel'],
      // Almaty city has no travel advisory of its own, so the country's is not repeated for it.
      ['KZ-75', 'kz-terror', 'city'],
    ]);
  });

  it('gives a subdivision its country level when that is higher, and leaves out areas with none now', () => {
    const entries = [
      entry('country', 'KZ', RED, '2022-01-01T00:00:00Z'),
      entry('city', 'KZ-75', YELLOW, '2022-01-01T00:00:00Z'),
      entry('expired', 'KG', ORANGE, '2021-01-01T00:00:00Z', { expiresAt: '2021-06-01T00:00:00Z' }),
      entry('scheduled', 'UZ', ORANGE, '2023-01-01T00:00:00Z'),
    ];
    expect(levelsOfDeclaredAreas(entries, at('2022-01-02T00:00:00Z'))).toEqual([
      expect.objectContaining({ areaCode: 'KZ', declarationId: 'country', source: 'KZ' }),
      expect.objectContaining({ areaCode: 'KZ-75', declarationId: 'country', source: 'KZ', level: RED }),
    ]);
  });
});

describe('nextChangeAfter', () => {
  it('is the nearest start, expiry or cancellation after the instant', () => {
    const entries = [
      entry('running', 'KZ', RED, '2022-01-07T00:00:00Z', { expiresAt: '2022-01-30T00:00:00Z' }),
      entry('scheduled', 'KZ-75', ORANGE, '2022-01-25T18:00:00Z'),
      entry('cancelling', 'KG', YELLOW, '2022-01-01T00:00:00Z', { cancelledAt: '2022-01-20T00:00:00Z' }),
    ];
    expect(nextChangeAfter(entries, at('2022-01-10T00:00:00Z'))).toEqual(at('2022-01-20T00:00:00Z'));
    expect(nextChangeAfter(entries, at('2022-01-20T00:00:00Z'))).toEqual(at('2022-01-25T18:00:00Z'));
    expect(nextChangeAfter(entries, at('2022-01-26T00:00:00Z'))).toEqual(at('2022-01-30T00:00:00Z'));
  });

  it('is null when nothing is due, and ignores a declaration cancelled before it started', () => {
    const entries = [
      entry('open-ended', 'KZ', RED, '2022-01-07T00:00:00Z'),
      entry('never', 'KZ', ORANGE, '2022-03-01T00:00:00Z', { cancelledAt: '2022-02-01T00:00:00Z' }),
    ];
    expect(nextChangeAfter(entries, at('2022-02-15T00:00:00Z'))).toBeNull();
  });

  it('bounds the instants over which the levels stay the same', () => {
    const entries = [
      entry('red', 'KZ', RED, '2022-01-07T00:00:00Z', { expiresAt: '2022-01-13T06:00:00Z' }),
      entry('city', 'KZ-75', ORANGE, '2022-01-13T06:00:00Z'),
    ];
    const from = at('2022-01-08T00:00:00Z');
    const next = nextChangeAfter(entries, from)!;
    const justBefore = new Date(next.getTime() - 1);
    expect(levelsOfDeclaredAreas(entries, justBefore)).toEqual(levelsOfDeclaredAreas(entries, from));
    expect(levelsOfDeclaredAreas(entries, next)).not.toEqual(levelsOfDeclaredAreas(entries, from));
  });
});

// January 2022, Kazakhstan (times in Almaty time, UTC+6 then). Red for the whole country from 7 January;
// on 13 January red lifted in 14 regions: Almaty city, Almaty region and Zhambyl stay red until 00:00 on
// 26 January and then go orange; Astana orange for 14 days; some regions yellow for 10 or 14 days, one
// until further notice.
describe('the January 2022 Kazakhstan sequence', () => {
  const sequence = [
    entry('countrywide-red', 'KZ', RED, '2022-01-07T00:00:00+06:00', {
      expiresAt: '2022-01-13T12:00:00+06:00',
    }),
    ...['KZ-75', 'KZ-19', 'KZ-31'].flatMap((area) => [
      entry('south-red', area, RED, '2022-01-13T12:00:00+06:00', { expiresAt: '2022-01-26T00:00:00+06:00' }),
      entry('south-orange', area, ORANGE, '2022-01-26T00:00:00+06:00'),
    ]),
    entry('astana-orange', 'KZ-71', ORANGE, '2022-01-13T12:00:00+06:00', {
      expiresAt: '2022-01-27T12:00:00+06:00',
    }),
    ...['KZ-79', 'KZ-61'].map((area) =>
      entry('yellow-10d', area, YELLOW, '2022-01-13T12:00:00+06:00', {
        expiresAt: '2022-01-23T12:00:00+06:00',
      }),
    ),
    ...['KZ-15', 'KZ-47'].map((area) =>
      entry('yellow-14d', area, YELLOW, '2022-01-13T12:00:00+06:00', {
        expiresAt: '2022-01-27T12:00:00+06:00',
      }),
    ),
    entry('atyrau-yellow', 'KZ-23', YELLOW, '2022-01-13T12:00:00+06:00'),
  ];

  it.each([
    ['2022-01-06T12:00:00+06:00', { KZ: null, 'KZ-75': null, 'KZ-55': null }],
    [
      '2022-01-08T12:00:00+06:00',
      { KZ: 'red', 'KZ-75': 'red', 'KZ-71': 'red', 'KZ-55': 'red', 'KZ-62': 'red' },
    ],
    [
      '2022-01-14T12:00:00+06:00',
      {
        KZ: null,
        'KZ-75': 'red',
        'KZ-19': 'red',
        'KZ-31': 'red',
        'KZ-71': 'orange',
        'KZ-79': 'yellow',
        'KZ-23': 'yellow',
        'KZ-55': null,
      },
    ],
    [
      '2022-01-24T12:00:00+06:00',
      { 'KZ-75': 'red', 'KZ-79': null, 'KZ-61': null, 'KZ-47': 'yellow', 'KZ-71': 'orange' },
    ],
    [
      '2022-01-26T00:00:01+06:00',
      { 'KZ-75': 'orange', 'KZ-19': 'orange', 'KZ-31': 'orange', 'KZ-71': 'orange' },
    ],
    [
      '2022-01-28T00:00:00+06:00',
      { 'KZ-75': 'orange', 'KZ-71': null, 'KZ-47': null, 'KZ-15': null, 'KZ-23': 'yellow' },
    ],
  ])('at %s the effective levels are %j', (instant, expected) => {
    const actual = Object.fromEntries(
      Object.keys(expected).map((area) => [area, codeOf(area, sequence, instant)]),
    );
    expect(actual).toEqual(expected);
  });

  it('records the history of Almaty city: red from the country, red of its own, then orange', () => {
    const history = levelHistory('KZ-75', 'KZ', sequence, at('2022-02-01T00:00:00Z'));
    expect(
      history.map((c) => [
        c.at.toISOString(),
        c.cause,
        c.previous?.level.code ?? null,
        c.current?.level.code ?? null,
        c.current?.source ?? null,
      ]),
    ).toEqual([
      ['2022-01-06T18:00:00.000Z', 'declared', null, 'red', 'KZ'],
      ['2022-01-13T06:00:00.000Z', 'declared', 'red', 'red', 'KZ-75'],
      ['2022-01-25T18:00:00.000Z', 'declared', 'red', 'orange', 'KZ-75'],
    ]);
  });

  it('records the history of Pavlodar: red from the country, then nothing when it expired', () => {
    const history = levelHistory('KZ-55', 'KZ', sequence, at('2022-02-01T00:00:00Z'));
    expect(
      history.map((c) => [
        c.cause,
        c.previous?.level.code ?? null,
        c.current?.level.code ?? null,
        c.declarationId,
        c.by,
      ]),
    ).toEqual([
      ['declared', null, 'red', 'countrywide-red', 'publisher'],
      ['expired', 'red', null, 'countrywide-red', null],
    ]);
  });

  it('leaves out of the history what has not happened yet', () => {
    expect(levelHistory('KZ-75', 'KZ', sequence, at('2022-01-20T00:00:00Z'))).toHaveLength(2);
  });
});

describe('levelHistory', () => {
  it('names the canceller of a cancelled declaration', () => {
    const history = levelHistory(
      'KZ',
      'KZ',
      [entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z', { cancelledAt: '2022-01-08T00:00:00Z' })],
      at('2022-02-01T00:00:00Z'),
    );
    expect(history.map((c) => [c.cause, c.by])).toEqual([
      ['declared', 'publisher'],
      ['cancelled', 'admin'],
    ]);
  });
});

describe('directionOf', () => {
  it.each([
    [null, RED, 'escalated'],
    [YELLOW, RED, 'escalated'],
    [RED, ORANGE, 'deescalated'],
    [RED, null, 'deescalated'],
    [RED, RED, 'unchanged'],
    [null, null, 'unchanged'],
  ] as const)('from %j to %j is %s', (previous, current, direction) => {
    expect(directionOf(previous, current)).toBe(direction);
  });
});

describe('supersededAtStart', () => {
  it('is empty for a declaration with nothing in force before it', () => {
    const expired = entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z', { expiresAt: '2022-01-13T06:00:00Z' });
    const later = entry('d2', 'KZ', ORANGE, '2022-01-20T00:00:00Z');
    expect(supersededAtStart('d2', [expired, later])).toEqual([]);
    expect(supersededAtStart('d1', [expired, later])).toEqual([]);
  });

  it('names, per area, the declaration in force when it started', () => {
    const almaty = entry('d1', 'KZ-75', RED, '2022-01-13T06:00:00Z');
    const astana = entry('d2', 'KZ-71', ORANGE, '2022-01-13T06:00:00Z');
    const both = [
      entry('d3', 'KZ-75', YELLOW, '2022-01-20T00:00:00Z'),
      entry('d3', 'KZ-71', YELLOW, '2022-01-20T00:00:00Z'),
      entry('d3', 'KZ-19', YELLOW, '2022-01-20T00:00:00Z'),
    ];
    expect(supersededAtStart('d3', [almaty, astana, ...both])).toEqual(['d1', 'd2']);
  });

  it('counts a handover at the very instant the earlier one expires', () => {
    const red = entry('d1', 'KZ-75', RED, '2022-01-13T06:00:00Z', { expiresAt: '2022-01-25T18:00:00Z' });
    const orange = entry('d2', 'KZ-75', ORANGE, '2022-01-25T18:00:00Z');
    expect(supersededAtStart('d2', [red, orange])).toEqual(['d1']);
  });

  it('names only the one just before, not what that one had already replaced', () => {
    const first = entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z');
    const second = entry('d2', 'KZ', ORANGE, '2022-01-10T00:00:00Z');
    const third = entry('d3', 'KZ', YELLOW, '2022-01-12T00:00:00Z');
    expect(supersededAtStart('d3', [first, second, third])).toEqual(['d2']);
  });

  it('ignores a country declaration, other schemes, and what was cancelled before it started', () => {
    const country = entry('d1', 'KZ', RED, '2022-01-07T00:00:00Z');
    const otherScheme = entry('d2', 'KZ-75', RED, '2022-01-07T00:00:00Z', { scheme: 'travel-advisory' });
    const withdrawn = entry('d3', 'KZ-75', RED, '2022-01-07T00:00:00Z', {
      cancelledAt: '2022-01-09T00:00:00Z',
    });
    const own = entry('d4', 'KZ-75', ORANGE, '2022-01-10T00:00:00Z');
    expect(supersededAtStart('d4', [country, otherScheme, withdrawn, own])).toEqual([]);
  });

  it('ignores a declaration published after it, so its answer never changes', () => {
    const scheduled = entry('d1', 'KZ', ORANGE, '2022-01-20T00:00:00Z');
    const publishedLater = entry('d2', 'KZ', RED, '2022-01-10T00:00:00Z');
    expect(supersededAtStart('d1', [scheduled, publishedLater])).toEqual([]);
  });
});
