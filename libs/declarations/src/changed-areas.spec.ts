import { ChangedArea, changedAreas, TimelineAt } from './changed-areas';
import { EffectiveLevel, TimelineEntry } from './effective-level';
import { ORANGE, RED, timelineEntries, YELLOW } from './testing/timeline-entries';

const T0 = '2022-01-07T00:00:00Z';
const T1 = '2022-01-13T00:00:00Z';
const T2 = '2022-01-26T00:00:00Z';
const at = (iso: string, offsetMs = 0) => new Date(new Date(iso).getTime() + offsetMs);

const entry = timelineEntries(new Date(Date.UTC(2022, 0, 1)));

const redKz = entry('d-red', 'KZ', RED, T0);
const yellowKz = entry('d-yellow', 'KZ', YELLOW, T0);
const orangeAlmaty = entry('d-orange', 'KZ-75', ORANGE, T1);
const redAgainKz = entry('d-red-2', 'KZ', RED, T1);
const redUntilT2 = entry('d-red', 'KZ', RED, T0, { expiresAt: T2 });
const redCancelledAtT1 = entry('d-red', 'KZ', RED, T0, { cancelledAt: T1 });
const ukCritical = entry('d-uk', 'KZ', RED, T0, { scheme: 'uk-terror' });

/** A level as `declaration:code@source`, so a row of the table reads in one line. */
const statement = (level: EffectiveLevel | null) =>
  level && `${level.declarationId}:${level.level.code}@${level.source}`;
const shown = (changes: ChangedArea[]) =>
  changes.map((c) => [c.areaCode, statement(c.previous), statement(c.current)]);

const side = (entries: TimelineEntry[], iso: string, offsetMs = 0): TimelineAt => ({
  entries,
  at: at(iso, offsetMs),
});

describe('changedAreas', () => {
  it.each<[string, string[], TimelineAt, TimelineAt, (string | null)[][]]>([
    [
      'a first declaration changes an area that had no level',
      ['KZ'],
      side([], T0),
      side([redKz], T0),
      [['KZ', null, 'd-red:red@KZ']],
    ],
    [
      'another declaration at the same level is a change: it is another statement',
      ['KZ'],
      side([redKz], T1),
      side([redKz, redAgainKz], T1),
      [['KZ', 'd-red:red@KZ', 'd-red-2:red@KZ']],
    ],
    [
      'a subdivision below its country level keeps the country level: no change',
      ['KZ-75'],
      side([redKz], T1),
      side([redKz, orangeAlmaty], T1),
      [],
    ],
    [
      'a subdivision above its country level changes, to a level of its own',
      ['KZ-75'],
      side([yellowKz], T1),
      side([yellowKz, orangeAlmaty], T1),
      [['KZ-75', 'd-yellow:yellow@KZ', 'd-orange:orange@KZ-75']],
    ],
    [
      'a level in another scheme is not a change in this one',
      ['KZ'],
      side([], T0),
      side([ukCritical], T0),
      [],
    ],
    [
      'an expiry, read just before its instant and at it, ends the level',
      ['KZ'],
      side([redUntilT2], T2, -1),
      side([redUntilT2], T2),
      [['KZ', 'd-red:red@KZ', null]],
    ],
    [
      'a cancellation ends the level; the subdivision that follows the country changes with it',
      ['KZ', 'KZ-71'],
      side([redKz], T1),
      side([redCancelledAtT1], T1),
      [
        ['KZ', 'd-red:red@KZ', null],
        ['KZ-71', 'd-red:red@KZ', null],
      ],
    ],
    [
      'the order given is kept and the areas that do not change are dropped',
      ['KZ-75', 'KZ-71', 'KZ-19'],
      side([], T1),
      side([entry('d-19', 'KZ-19', RED, T1), entry('d-75', 'KZ-75', RED, T1)], T1),
      [
        ['KZ-75', null, 'd-75:red@KZ-75'],
        ['KZ-19', null, 'd-19:red@KZ-19'],
      ],
    ],
    [
      'a declaration wholly in the past changes nothing now',
      ['KZ'],
      side([], T2),
      side([entry('d-past', 'KZ', RED, T0, { expiresAt: T1 })], T2),
      [],
    ],
  ])('%s', (_behaviour, areaCodes, before, after, expected) => {
    expect(shown(changedAreas(areaCodes, 'kz-terror', before, after))).toEqual(expected);
  });
});
