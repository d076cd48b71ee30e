import { areaCovers } from '@tocsin/areas';
import { OUTBOX_CHANNEL, tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { BUILTIN_SCHEMES, seedBuiltinSchemes } from '@tocsin/schemes';
import { Declaration } from './declaration';
import { LevelRef } from './effective-level';
import { buildLevelChangedEvent, LevelChangedEvent } from './level-changed-event';
import { AnnouncedOutboxEvent, NewOutboxEvent, OutboxRepository } from './outbox.repository';

const ORANGE: LevelRef = { code: 'orange', rank: 2, name: 'High', color: '#f57c00' };
const RED: LevelRef = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };
const minute = (n: number) => new Date(Date.UTC(2022, 0, 7, 9, n));

const DECLARATION: Declaration = {
  id: 'dcl_1',
  status: 'active',
  schemeId: 'kz-terror',
  level: RED,
  areaCodes: ['KZ'],
  headline: 'Red',
  summary: 'Summary.',
  measures: [],
  language: 'en',
  translations: {},
  authority: 'Anti-Terrorist Centre',
  sourceUrl: null,
  effectiveAt: minute(0),
  expiresAt: null,
  createdAt: minute(0),
  createdBy: 'duty desk',
  cancelledAt: null,
  cancelledBy: null,
  cancelReason: null,
};

/** An area's change: from `previous` (null = no level) to `current`. */
type Change = [area: string, previous: LevelRef | null, current: LevelRef | null];

/** The event the declarations side would render for these changes, through the real builder. */
function levelChanged(eventId: string, changes: Change[], at = minute(0)): LevelChangedEvent {
  const effective = (areaCode: string, level: LevelRef | null) =>
    level && {
      areaCode,
      schemeId: 'kz-terror',
      level,
      declarationId: DECLARATION.id,
      source: areaCode,
      since: at,
      until: null,
    };
  return buildLevelChangedEvent(
    eventId,
    'declared',
    at,
    DECLARATION,
    changes.map(([areaCode, previous, current], i) => ({
      areaCode,
      previous: effective(areaCode, previous),
      current: effective(areaCode, current),
      sequence: i + 1,
    })),
  );
}

const rendered = (eventId: string, changes: Change[], dueAt = minute(0)): NewOutboxEvent => ({
  eventId,
  declarationId: DECLARATION.id,
  cause: 'declared',
  dueAt,
  payload: levelChanged(eventId, changes, dueAt),
});
const dueLater = (eventId: string, dueAt: Date): NewOutboxEvent => ({
  eventId,
  declarationId: DECLARATION.id,
  cause: 'expired',
  dueAt,
  payload: null,
});

async function openWithDeclaration(driver: (typeof DATABASE_DRIVERS)[number]): Promise<TestDatabase> {
  const database = await createTestDatabase(driver);
  await seedBuiltinSchemes(database.db, BUILTIN_SCHEMES);
  await database.db.insert(tables.declarations).values({
    id: DECLARATION.id,
    schemeId: DECLARATION.schemeId,
    levelCode: DECLARATION.level.code,
    headline: DECLARATION.headline,
    summary: DECLARATION.summary,
    measures: DECLARATION.measures,
    authority: DECLARATION.authority,
    effectiveAt: DECLARATION.effectiveAt,
    createdAt: DECLARATION.createdAt,
    createdBy: 'key_1',
    createdByName: DECLARATION.createdBy,
  });
  return database;
}

describe.each(DATABASE_DRIVERS)('OutboxRepository on %s', (driver) => {
  let database: TestDatabase;
  let outbox: OutboxRepository;
  const append = (...events: NewOutboxEvent[]) => database.db.transaction((tx) => outbox.append(tx, events));
  const dueIds = async (now: Date) => (await outbox.due(now, 100)).map((e) => e.eventId);

  beforeAll(async () => {
    database = await openWithDeclaration(driver);
    outbox = new OutboxRepository(database.db);
  });
  // Deleting an event deletes its changes (a foreign key, on delete cascade).
  beforeEach(() => database.db.delete(tables.outbox));
  afterAll(() => database?.close());

  it('leaves to their act, since an instant, the events it wrote for now, and never those due later', async () => {
    await append(rendered('evt_acted', [['KZ', null, RED]], minute(5)));
    await append(rendered('evt_earlier', [['GB', null, RED]], minute(2)));
    await append(dueLater('evt_start', minute(4)));
    const dueSince = async (since: Date) => (await outbox.due(minute(10), 100, since)).map((e) => e.eventId);

    // Written for minute 5, it is its act's to hand on until then; one due later has no act to wait for.
    expect(await dueSince(minute(3))).toEqual(['evt_earlier', 'evt_start']);
    expect(await dueSince(minute(5))).toEqual(['evt_earlier', 'evt_start', 'evt_acted']);
    expect(await dueIds(minute(10))).toEqual(['evt_earlier', 'evt_start', 'evt_acted']);
  });

  it('appends rendered events with their changes, and events due later without any', async () => {
    const handedOn = await append(
      rendered('evt_now', [
        ['KZ-75', ORANGE, RED],
        ['KZ', null, RED],
      ]),
      dueLater('evt_expiry', minute(30)),
    );
    // The rendered one, to hand on once the transaction commits, with the position the relay would read.
    const [due] = await outbox.due(minute(10), 100);
    expect(handedOn).toEqual([{ position: due.position, event: due.payload }]);
    expect(await outbox.changesOf('evt_now')).toEqual([
      { areaCode: 'KZ', schemeId: 'kz-terror', previousRank: null, currentRank: 3, direction: 'escalated' },
      { areaCode: 'KZ-75', schemeId: 'kz-terror', previousRank: 2, currentRank: 3, direction: 'escalated' },
    ]);
    expect(await outbox.changesOf('evt_expiry')).toEqual([]);
    expect([...(await outbox.payloadsOf(['evt_now', 'evt_expiry']))]).toEqual([
      [
        'evt_now',
        levelChanged('evt_now', [
          ['KZ-75', ORANGE, RED],
          ['KZ', null, RED],
        ]),
      ],
    ]);
  });

  it('appends nothing for no events', async () => {
    expect(await append()).toEqual([]);
    expect(await database.db.select().from(tables.outbox)).toEqual([]);
  });

  it('wakes the relays when the appending transaction commits', async () => {
    let woken!: () => void;
    const wake = new Promise<void>((resolve) => (woken = resolve));
    const unlisten = await database.listen(OUTBOX_CHANNEL, () => woken());
    try {
      await append(rendered('evt_1', [['KZ', null, RED]]));
      await wake; // bounded by the test's timeout
    } finally {
      await unlisten();
    }
  });

  it('lists as due the events due by now, not relayed nor skipped, in the order they fell due', async () => {
    await append(
      dueLater('evt_later', minute(20)),
      rendered('evt_b', [['KZ', null, RED]], minute(5)),
      dueLater('evt_a', minute(1)),
      rendered('evt_c', [['GB', null, RED]], minute(5)),
    );
    const due = await outbox.due(minute(10), 100);
    expect(due.map((e) => [e.eventId, e.payload?.data.eventId ?? null])).toEqual([
      ['evt_a', null],
      ['evt_b', 'evt_b'],
      ['evt_c', 'evt_c'],
    ]);
    // Same instant: the order they were written in.
    expect(due[1].position).toBeLessThan(due[2].position);
    expect((await outbox.due(minute(10), 2)).map((e) => e.eventId)).toEqual(['evt_a', 'evt_b']);
    expect(await dueIds(minute(30))).toEqual(['evt_a', 'evt_b', 'evt_c', 'evt_later']);
  });

  it('no longer lists as due the events marked relayed', async () => {
    await append(rendered('evt_1', [['KZ', null, RED]]), rendered('evt_2', [['GB', null, RED]]));
    expect(await outbox.markRelayed(['evt_1'], minute(1))).toEqual(['evt_1']);
    expect(await outbox.markRelayed([], minute(1))).toEqual([]);
    expect(await dueIds(minute(10))).toEqual(['evt_2']);
  });

  it('marks an event relayed once: a second hand-off of it marks nothing, and so announces nothing', async () => {
    await append(rendered('evt_1', [['KZ', null, RED]]), rendered('evt_2', [['GB', null, RED]]));
    await outbox.markRelayed(['evt_1'], minute(1));
    expect((await outbox.markRelayed(['evt_1', 'evt_2'], minute(2))).sort()).toEqual(['evt_2']);
  });

  it('still lists a due event its act handed to the queue and that fanned out before it was relayed', async () => {
    await append(rendered('evt_1', [['KZ', null, RED]]), rendered('evt_2', [['GB', null, RED]]));
    await outbox.markFannedOut('evt_2', minute(1));
    const due = await outbox.due(minute(10), 100);
    expect(due.map((e) => [e.eventId, e.fannedOut])).toEqual([
      ['evt_1', false],
      ['evt_2', true],
    ]);
  });

  it('locks an event for rendering and reads it back; none for an unknown id', async () => {
    await append(dueLater('evt_expiry', minute(30)));
    const entry = await database.db.transaction((tx) => outbox.lock(tx, 'evt_expiry'));
    expect(entry).toEqual({
      eventId: 'evt_expiry',
      declarationId: DECLARATION.id,
      cause: 'expired',
      dueAt: minute(30),
      payload: null,
      skippedReason: null,
    });
    expect(await database.db.transaction((tx) => outbox.lock(tx, 'evt_none'))).toBeNull();
  });

  it('stores an event rendered when it fell due, with its changes', async () => {
    await append(dueLater('evt_start', minute(5)));
    const event = levelChanged('evt_start', [['KZ-71', RED, ORANGE]], minute(5));
    await database.db.transaction((tx) => outbox.setPayload(tx, 'evt_start', event));
    expect((await database.db.transaction((tx) => outbox.lock(tx, 'evt_start')))?.payload).toEqual(event);
    expect(await outbox.changesOf('evt_start')).toEqual([
      {
        areaCode: 'KZ-71',
        schemeId: 'kz-terror',
        previousRank: 3,
        currentRank: 2,
        direction: 'deescalated',
      },
    ]);
    expect((await outbox.payloadsOf(['evt_start'])).get('evt_start')).toEqual(event);
  });

  it('skips an event, with its reason, and no longer lists it as due', async () => {
    await append(dueLater('evt_start', minute(5)));
    await database.db.transaction((tx) => outbox.skip(tx, 'evt_start', 'superseded meanwhile'));
    expect((await database.db.transaction((tx) => outbox.lock(tx, 'evt_start')))?.skippedReason).toBe(
      'superseded meanwhile',
    );
    expect(await dueIds(minute(10))).toEqual([]);
  });

  it('drops only the not-yet-due, not relayed events of a cancelled declaration', async () => {
    await append(
      rendered('evt_past', [['KZ', null, RED]], minute(1)),
      dueLater('evt_future', minute(30)),
      dueLater('evt_future_relayed', minute(40)),
    );
    await outbox.markRelayed(['evt_future_relayed'], minute(2));
    await database.db.transaction((tx) => outbox.dropNotYetDue(tx, DECLARATION.id, minute(10)));
    expect(await dueIds(minute(60))).toEqual(['evt_past']);
    expect(await outbox.unfinishedFanOuts(minute(60), 100)).toEqual([]);
    expect((await outbox.payloadsOf(['evt_past'])).has('evt_past')).toBe(true);
  });

  it('finds relayed events whose fan-out never finished, oldest relay first, until marked fanned out', async () => {
    await append(
      rendered('evt_1', [['KZ', null, RED]]),
      rendered('evt_2', [['GB', null, RED]]),
      rendered('evt_recent', [['FR', null, RED]]),
      rendered('evt_not_relayed', [['NL', null, RED]]),
      dueLater('evt_unrendered', minute(0)),
    );
    await outbox.markRelayed(['evt_2'], minute(1));
    await outbox.markRelayed(['evt_1'], minute(2));
    await outbox.markRelayed(['evt_recent'], minute(9));
    await outbox.markRelayed(['evt_unrendered'], minute(1));
    expect(await outbox.unfinishedFanOuts(minute(5), 100)).toEqual(['evt_2', 'evt_1']);
    expect(await outbox.unfinishedFanOuts(minute(5), 1)).toEqual(['evt_2']);
    await outbox.markFannedOut('evt_2', minute(3));
    expect(await outbox.unfinishedFanOuts(minute(5), 100)).toEqual(['evt_1']);
  });

  it('gives no changes and no payload for an unknown event, and nothing for no ids', async () => {
    expect(await outbox.changesOf('evt_none')).toEqual([]);
    expect((await outbox.payloadsOf(['evt_none'])).size).toBe(0);
    expect((await outbox.payloadsOf([])).size).toBe(0);
  });
});

/** An event of the announced-after fixture: its areas, when it fell due, when it was relayed (null = not). */
interface Row {
  id: string;
  areas: string[];
  dueAt: Date;
  relayedAt: Date | null;
  /** False: due later and not rendered yet. */
  rendered?: boolean;
}

// Written in this order (so numbered 1 to 8); announced in another.
const ROWS: Row[] = [
  { id: 'evt_1', areas: ['KZ'], dueAt: minute(1), relayedAt: minute(1) },
  // Written with 1, due later: the expiry of a declaration, relayed when it fell due.
  { id: 'evt_2', areas: ['KZ-75', 'KZ-19'], dueAt: minute(4), relayedAt: minute(4) },
  { id: 'evt_3', areas: ['GB'], dueAt: minute(2), relayedAt: minute(2) },
  { id: 'evt_4', areas: ['KZ-71'], dueAt: minute(3), relayedAt: minute(3) },
  { id: 'evt_5', areas: ['KZ'], dueAt: minute(60), relayedAt: null, rendered: false },
  { id: 'evt_6', areas: ['KZ'], dueAt: minute(5), relayedAt: null },
  // One relay pass: same relayed_at, in the order they fell due.
  { id: 'evt_7', areas: ['FR'], dueAt: minute(6), relayedAt: minute(6) },
  { id: 'evt_8', areas: ['KZ-79'], dueAt: minute(5), relayedAt: minute(6) },
];
const RELAY_ORDER = ['evt_1', 'evt_3', 'evt_4', 'evt_2', 'evt_8', 'evt_7'];

describe.each(DATABASE_DRIVERS)('OutboxRepository.announcedAfter on %s', (driver) => {
  let database: TestDatabase;
  let outbox: OutboxRepository;
  const positionOf = new Map<string, number>();
  const ids = (events: AnnouncedOutboxEvent[]) => events.map((e) => e.event.data.eventId);
  const after = (id: string | number, area?: string, limit = 100) =>
    outbox.announcedAfter(typeof id === 'number' ? id : positionOf.get(id)!, area, limit);

  beforeAll(async () => {
    database = await openWithDeclaration(driver);
    outbox = new OutboxRepository(database.db);
    for (const row of ROWS) {
      const event =
        row.rendered === false
          ? dueLater(row.id, row.dueAt)
          : rendered(
              row.id,
              row.areas.map((area): Change => [area, null, RED]),
              row.dueAt,
            );
      await database.db.transaction((tx) => outbox.append(tx, [event]));
    }
    for (const row of ROWS) if (row.relayedAt) await outbox.markRelayed([row.id], row.relayedAt);
    for (const event of await outbox.due(minute(99), 100)) positionOf.set(event.eventId, event.position);
    for (const event of await after(0)) positionOf.set(event.event.data.eventId, event.position);
  });
  afterAll(() => database?.close());

  it('reads every announced event in the order the relay announced it, with its position and payload', async () => {
    const events = await after(0);
    expect(ids(events)).toEqual(RELAY_ORDER);
    expect(events[3]).toEqual({
      position: positionOf.get('evt_2'),
      event: levelChanged(
        'evt_2',
        [
          ['KZ-75', null, RED],
          ['KZ-19', null, RED],
        ],
        minute(4),
      ),
    });
  });

  it.each([
    ['evt_1', ['evt_3', 'evt_4', 'evt_2', 'evt_8', 'evt_7']],
    ['evt_4', ['evt_2', 'evt_8', 'evt_7']],
    // Position order would have nothing after 8, and would resend 2 after 4.
    ['evt_2', ['evt_8', 'evt_7']],
    ['evt_8', ['evt_7']],
    ['evt_7', []],
  ])('resumes after %s with what was announced after it', async (lastId, expected) => {
    expect(ids(await after(lastId))).toEqual(expected);
  });

  it('resumes after the position itself when the id was never announced', async () => {
    expect(ids(await after('evt_5'))).toEqual(['evt_8', 'evt_7']);
    expect(ids(await after(99))).toEqual([]);
  });

  it('reads at most `limit`, the oldest first', async () => {
    expect(ids(await after(0, undefined, 2))).toEqual(['evt_1', 'evt_3']);
    expect(ids(await after('evt_3', undefined, 2))).toEqual(['evt_4', 'evt_2']);
  });

  it('counts the limit among the events of the area, so a page of others cannot starve a stream', async () => {
    expect(ids(await after(0, 'KZ-79', 2))).toEqual(['evt_1', 'evt_8']);
  });

  it.each(['KZ', 'KZ-75', 'KZ-19', 'KZ-71', 'KZ-79', 'KZ-10', 'GB', 'FR', 'KE'])(
    'filters area %s by the one rule, areaCovers',
    async (area) => {
      const areasOf = new Map(ROWS.map((row) => [row.id, row.areas]));
      const expected = RELAY_ORDER.filter((id) => areasOf.get(id)!.some((code) => areaCovers(area, code)));
      expect(ids(await after(0, area))).toEqual(expected);
    },
  );
});
