import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { BUILTIN_SCHEMES, seedBuiltinSchemes } from '@tocsin/schemes';
import { AnnouncedEventsRepository } from './announced-events.repository';
import { AnnouncedEvent } from './catch-up';
import { eventConcernsArea } from './event-area';
import { announcedEvent } from './testing/announced-event';

const minute = (n: number) => new Date(Date.UTC(2022, 0, 7, 9, n));

/** An outbox row: `relayedAt` null = not yet relayed; `payload` false = not rendered (still pending). */
interface Row {
  position: number;
  areas: string[];
  dueAt: Date;
  relayedAt: Date | null;
  payload?: boolean;
}

// In the order the relay announced them, then those it has not announced.
const ROWS: Row[] = [
  { position: 1, areas: ['KZ'], dueAt: minute(1), relayedAt: minute(1) },
  { position: 3, areas: ['GB'], dueAt: minute(2), relayedAt: minute(2) },
  { position: 4, areas: ['KZ-71'], dueAt: minute(3), relayedAt: minute(3) },
  // Written with 1, due later: the expiry of a declaration, relayed when it fell due.
  { position: 2, areas: ['KZ-75', 'KZ-19'], dueAt: minute(4), relayedAt: minute(4) },
  // One relay pass: same relayed_at, in the order they fell due.
  { position: 8, areas: ['KZ-79'], dueAt: minute(5), relayedAt: minute(6) },
  { position: 7, areas: ['FR'], dueAt: minute(6), relayedAt: minute(6) },
  { position: 5, areas: ['KZ'], dueAt: minute(60), relayedAt: null, payload: false },
  { position: 6, areas: ['KZ'], dueAt: minute(5), relayedAt: null },
];
const RELAY_ORDER = [1, 3, 4, 2, 8, 7];

describe.each(DATABASE_DRIVERS)('AnnouncedEventsRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: AnnouncedEventsRepository;
  const positions = (events: AnnouncedEvent[]) => events.map((e) => e.position);

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedBuiltinSchemes(database.db, BUILTIN_SCHEMES);
    await database.db.insert(tables.declarations).values({
      id: 'dcl_1',
      schemeId: 'kz-terror',
      levelCode: 'red',
      headline: 'Red',
      summary: 'Summary.',
      measures: [],
      authority: 'Anti-Terrorist Centre',
      effectiveAt: minute(0),
      createdAt: minute(0),
      createdBy: 'key_1',
      createdByName: 'duty desk',
    });
    await database.db.insert(tables.outbox).values(
      ROWS.map((row) => ({
        position: row.position,
        eventId: `evt_${row.position}`,
        type: 'threat_level.changed',
        declarationId: 'dcl_1',
        cause: 'declared',
        dueAt: row.dueAt,
        relayedAt: row.relayedAt,
        payload: row.payload === false ? null : announcedEvent(row.position, row.areas).event,
      })),
    );
    repository = new AnnouncedEventsRepository(database.db);
  });
  afterAll(() => database?.close());

  it('reads every announced event in the order the relay announced it, with its payload', async () => {
    const events = await repository.after(0, undefined, 100);
    expect(positions(events)).toEqual(RELAY_ORDER);
    expect(events[3]).toEqual(announcedEvent(2, ['KZ-75', 'KZ-19']));
  });

  it.each([
    [1, [3, 4, 2, 8, 7]],
    [4, [2, 8, 7]],
    // Position order would have nothing after 8, and would resend 2 after 4.
    [2, [8, 7]],
    [8, [7]],
    [7, []],
  ])('resumes after %d with what was announced after it', async (lastEventId, expected) => {
    expect(positions(await repository.after(lastEventId, undefined, 100))).toEqual(expected);
  });

  it('resumes after the position itself when the id was never announced', async () => {
    expect(positions(await repository.after(5, undefined, 100))).toEqual([8, 7]);
    expect(positions(await repository.after(99, undefined, 100))).toEqual([]);
  });

  it('reads at most `limit`, the oldest first', async () => {
    expect(positions(await repository.after(0, undefined, 2))).toEqual([1, 3]);
    expect(positions(await repository.after(3, undefined, 2))).toEqual([4, 2]);
  });

  it('counts the limit among the events of the area, so a page of others cannot starve a stream', async () => {
    expect(positions(await repository.after(0, 'KZ-79', 2))).toEqual([1, 8]);
  });

  it.each(['KZ', 'KZ-75', 'KZ-19', 'KZ-71', 'KZ-79', 'KZ-10', 'GB', 'FR', 'KE'])(
    'filters area %s exactly as eventConcernsArea does',
    async (area) => {
      const all = await repository.after(0, undefined, 100);
      const expected = all.filter(({ event }) => eventConcernsArea(event, area));
      expect(positions(await repository.after(0, area, 100))).toEqual(positions(expected));
    },
  );
});
