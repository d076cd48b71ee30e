import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { BUILTIN_SCHEMES, seedBuiltinSchemes } from '@tocsin/schemes';
import { Declaration, NewDeclaration } from './declaration';
import { DeclarationsRepository } from './declarations.repository';
import { levelsOfDeclaredAreas } from './effective-level';
import { OutboxRepository } from './outbox.repository';

const actor = { id: 'key_1', name: 'duty desk' };
const at = (iso: string) => new Date(iso);

function declaration(
  areaCodes: string[],
  levelCode: string,
  effectiveAt: string,
  expiresAt?: string,
): NewDeclaration {
  return {
    schemeId: 'kz-terror',
    levelCode,
    areaCodes,
    headline: `${levelCode} for ${areaCodes.join(', ')}`,
    summary: 'Summary.',
    measures: ['Measure.'],
    language: 'en',
    translations: {},
    authority: 'Anti-Terrorist Centre',
    sourceUrl: null,
    effectiveAt: at(effectiveAt),
    expiresAt: expiresAt ? at(expiresAt) : null,
    mode: 'actual',
    approval: null,
    urgentReason: null,
  };
}

describe.each(DATABASE_DRIVERS)('DeclarationsRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeclarationsRepository;
  const created = at('2022-02-01T00:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedBuiltinSchemes(database.db, BUILTIN_SCHEMES);
    repository = new DeclarationsRepository(database.db);
    const insert = (id: string, d: NewDeclaration) =>
      repository.inLevelWriteTransaction((tx) => repository.insert(tx, id, d, actor, created));
    await insert('d-red', declaration(['KZ'], 'red', '2022-01-07T00:00:00Z', '2022-01-13T06:00:00Z'));
    await insert(
      'd-south',
      declaration(['KZ-75', 'KZ-19'], 'red', '2022-01-13T06:00:00Z', '2022-01-25T18:00:00Z'),
    );
    await insert('d-orange', declaration(['KZ-75', 'KZ-19'], 'orange', '2022-01-25T18:00:00Z'));
    await insert('d-never', declaration(['KZ-71'], 'yellow', '2030-01-01T00:00:00Z'));
    await repository.inLevelWriteTransaction((tx) =>
      repository.markCancelled(tx, 'd-never', actor, 'mistake', created),
    );
  });
  afterAll(() => database?.close());

  it('reads back every timeline entry of the given areas, with its level', async () => {
    const entries = await repository.timelineOf(database.db, ['KZ-75', 'KZ']);
    expect(entries.map((e) => [e.declarationId, e.areaCode, e.level.code, e.level.rank]).sort()).toEqual([
      ['d-orange', 'KZ-75', 'orange', 2],
      ['d-red', 'KZ', 'red', 3],
      ['d-south', 'KZ-75', 'red', 3],
    ]);
    const red = entries.find((e) => e.declarationId === 'd-red')!;
    expect(red.effectiveAt).toEqual(at('2022-01-07T00:00:00Z'));
    expect(red.expiresAt).toEqual(at('2022-01-13T06:00:00Z'));
    expect(red.createdBy).toBe('duty desk');
  });

  it('finds, per area and scheme, the last started declaration and the next one to start', async () => {
    const entries = await repository.timelineAround(
      { kind: 'country', code: 'KZ' },
      at('2022-01-20T00:00:00Z'),
    );
    expect(entries.map((e) => `${e.areaCode}:${e.declarationId}`).sort()).toEqual([
      'KZ-19:d-orange',
      'KZ-19:d-south',
      'KZ-75:d-orange',
      'KZ-75:d-south',
      'KZ:d-red',
    ]);
  });

  it('leaves out a declaration cancelled before it started', async () => {
    const entries = await repository.timelineAround(
      { kind: 'areas', codes: ['KZ-71'] },
      at('2031-01-01T00:00:00Z'),
    );
    expect(entries).toEqual([]);
  });

  it('derives each status at an instant', async () => {
    const statusAt = async (iso: string) =>
      Object.fromEntries((await repository.findMany({ limit: 10 }, at(iso))).map((d) => [d.id, d.status]));
    expect(await statusAt('2022-01-10T00:00:00Z')).toEqual({
      'd-red': 'active',
      'd-south': 'scheduled',
      'd-orange': 'scheduled',
      'd-never': 'cancelled',
    });
    expect(await statusAt('2022-01-20T00:00:00Z')).toMatchObject({
      'd-red': 'expired',
      'd-south': 'active',
      'd-orange': 'scheduled',
    });
    expect(await statusAt('2022-02-01T00:00:00Z')).toMatchObject({
      'd-red': 'expired',
      'd-south': 'superseded',
      'd-orange': 'active',
    });
  });

  it('filters by status, area, country and scheme, and pages newest first', async () => {
    const now = at('2022-02-01T00:00:00Z');
    expect((await repository.findMany({ status: 'active', limit: 10 }, now)).map((d) => d.id)).toEqual([
      'd-orange',
    ]);
    expect(
      (await repository.findMany({ areaCodes: ['KZ-19'], limit: 10 }, now)).map((d) => d.id).sort(),
    ).toEqual(['d-orange', 'd-south']);
    expect(await repository.findMany({ schemeId: 'uk-terror', limit: 10 }, now)).toEqual([]);
    expect(
      (await repository.findMany({ countryCode: 'KZ', limit: 10 }, now)).map((d) => d.id).sort(),
    ).toEqual(['d-never', 'd-orange', 'd-red', 'd-south']);
    expect(await repository.findMany({ countryCode: 'UZ', limit: 10 }, now)).toEqual([]);
    const first = await repository.findMany({ limit: 2 }, now);
    const rest = await repository.findMany({ limit: 10, after: first[1].position }, now);
    expect([...first, ...rest].map((d) => d.id).sort()).toEqual(['d-never', 'd-orange', 'd-red', 'd-south']);
  });

  it('numbers events per area and scheme', async () => {
    const first = await repository.inLevelWriteTransaction((tx) =>
      repository.nextSequences(tx, 'kz-terror', ['KZ', 'KZ-75']),
    );
    const second = await repository.inLevelWriteTransaction((tx) =>
      repository.nextSequences(tx, 'kz-terror', ['KZ']),
    );
    const other = await repository.inLevelWriteTransaction((tx) =>
      repository.nextSequences(tx, 'uk-terror', ['KZ']),
    );
    expect([...first]).toEqual([
      ['KZ', 1],
      ['KZ-75', 1],
    ]);
    expect(second.get('KZ')).toBe(2);
    expect(other.get('KZ')).toBe(1);
    // Seventeen regions in one statement, in the order asked, each numbered on from its own last.
    const regions = ['KZ-75', ...Array.from({ length: 16 }, (_, i) => `KZ-${String(10 + i)}`), 'KZ'];
    const many = await repository.inLevelWriteTransaction((tx) =>
      repository.nextSequences(tx, 'kz-terror', regions),
    );
    expect([...many.keys()]).toEqual(regions);
    expect(many.get('KZ-75')).toBe(2);
    expect(many.get('KZ')).toBe(3);
    expect(many.get('KZ-10')).toBe(1);
    expect(
      await repository.inLevelWriteTransaction((tx) => repository.nextSequences(tx, 'kz-terror', [])),
    ).toEqual(new Map());
  });

  it('stores the language and translations and reads them back exactly, also once cancelled', async () => {
    const translations = {
      ru: {
        headline: 'Критический («красный») уровень',
        summary: 'Возможны повторные теракты.',
        measures: ['Досмотр граждан.', 'Ограничение движения.'],
      },
      en: { headline: 'Critical (red) level' },
      'sr-Latn': { summary: 'Mogući su ponovljeni napadi 🚨.' },
    };
    const rollback = new Error('rolled back, so the other tests see the same rows');
    const read: (Declaration | null)[] = [];
    await expect(
      repository.inLevelWriteTransaction(async (tx) => {
        await repository.insert(
          tx,
          'd-kk',
          {
            ...declaration(['KZ-10'], 'red', '2022-01-07T00:00:00Z'),
            headline: 'Террористік қауіптің қызыл деңгейі',
            language: 'kk',
            translations,
          },
          actor,
          created,
        );
        read.push(await repository.findById('d-kk', created, tx));
        await repository.markCancelled(tx, 'd-kk', actor, 'test', created);
        read.push(await repository.findById('d-kk', created, tx));
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    for (const found of read) {
      expect(found).toMatchObject({
        headline: 'Террористік қауіптің қызыл деңгейі',
        language: 'kk',
        translations,
      });
    }
    expect(read.map((d) => d?.status)).toEqual(['active', 'cancelled']);
  });

  it('writes nothing of a transaction that fails', async () => {
    await expect(
      repository.inLevelWriteTransaction(async (tx) => {
        await repository.insert(
          tx,
          'd-rolled-back',
          declaration(['KZ-10'], 'red', '2022-01-07T00:00:00Z'),
          actor,
          created,
        );
        await new OutboxRepository(database.db).append(tx, [
          {
            eventId: 'evt_1',
            declarationId: 'd-rolled-back',
            cause: 'expired',
            dueAt: created,
            payload: null,
          },
        ]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await repository.findById('d-rolled-back', created)).toBeNull();
    expect(await database.db.select().from(tables.outbox)).toEqual([]);
  });
});

describe.each(DATABASE_DRIVERS)('DeclarationsRepository.timelineAround on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeclarationsRepository;
  const travel = (
    areaCodes: string[],
    levelCode: string,
    effectiveAt: string,
    expiresAt?: string,
  ): NewDeclaration => ({
    ...declaration(areaCodes, levelCode, effectiveAt, expiresAt),
    schemeId: 'travel-advisory',
  });

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedBuiltinSchemes(database.db, BUILTIN_SCHEMES);
    repository = new DeclarationsRepository(database.db);
    const insert = (id: string, d: NewDeclaration, createdAt: string, cancelledAt?: string) =>
      repository.inLevelWriteTransaction(async (tx) => {
        await repository.insert(tx, id, d, actor, at(createdAt));
        if (cancelledAt) await repository.markCancelled(tx, id, actor, null, at(cancelledAt));
      });
    await insert('kg-2', travel(['KG'], '2', '2022-01-01T00:00:00Z'), '2021-12-01T00:00:00Z');
    await insert(
      'kg-3',
      travel(['KG'], '3', '2022-03-01T00:00:00Z', '2022-04-01T00:00:00Z'),
      '2021-12-02T00:00:00Z',
    );
    // Took effect, then was cancelled: it still started, so it still ends what came before it.
    await insert(
      'kg-4',
      travel(['KG'], '4', '2022-05-01T00:00:00Z'),
      '2021-12-03T00:00:00Z',
      '2022-05-10T00:00:00Z',
    );
    // Cancelled before its start: it never took effect.
    await insert(
      'kg-1',
      travel(['KG'], '1', '2022-06-01T00:00:00Z'),
      '2021-12-04T00:00:00Z',
      '2022-05-15T00:00:00Z',
    );
    await insert(
      'gb-4',
      travel(['KG-GB'], '4', '2022-02-01T00:00:00Z', '2022-02-15T00:00:00Z'),
      '2021-12-05T00:00:00Z',
    );
    await insert('gb-2', travel(['KG-GB', 'KG-C'], '2', '2022-08-01T00:00:00Z'), '2021-12-06T00:00:00Z');
    await insert(
      'gb-3',
      travel(['KG-GB'], '3', '2022-09-01T00:00:00Z'),
      '2021-12-07T00:00:00Z',
      '2022-09-05T00:00:00Z',
    );
    // A tie of start times: the later-created one governs.
    await insert('c-first', travel(['KG-C'], '3', '2022-10-01T00:00:00Z'), '2021-12-08T00:00:00Z');
    await insert('c-second', travel(['KG-C'], '1', '2022-10-01T00:00:00Z'), '2021-12-09T00:00:00Z');
  });
  afterAll(() => database?.close());

  it.each([
    '2021-12-31T00:00:00Z',
    '2022-01-15T00:00:00Z',
    '2022-02-10T00:00:00Z',
    '2022-03-01T00:00:00Z',
    '2022-04-15T00:00:00Z',
    '2022-05-05T00:00:00Z',
    '2022-05-12T00:00:00Z',
    '2022-08-15T00:00:00Z',
    '2022-09-03T00:00:00Z',
    '2022-10-02T00:00:00Z',
  ])('selects enough of the timeline for the levels, since and until at %s', async (instant) => {
    const everything = await repository.timelineOf(database.db, ['KG', 'KG-GB', 'KG-C']);
    const around = await repository.timelineAround({ kind: 'all' }, at(instant));
    expect(levelsOfDeclaredAreas(around, at(instant))).toEqual(
      levelsOfDeclaredAreas(everything, at(instant)),
    );
    // At most two entries per area and scheme: the one started last and the next to start.
    expect(around.length).toBeLessThanOrEqual(2 * new Set(everything.map((e) => e.areaCode)).size);
  });

  const INSTANTS = [
    '2021-12-31T00:00:00Z',
    '2022-02-10T00:00:00Z',
    '2022-04-15T00:00:00Z',
    '2022-05-12T00:00:00Z',
    '2022-08-15T00:00:00Z',
    '2022-09-03T00:00:00Z',
    '2022-10-02T00:00:00Z',
  ];
  it.each(INSTANTS)(
    'keeps, from %s on, only what still decides a level: the same levels then and at every later instant',
    async (from) => {
      const areas = ['KG', 'KG-GB', 'KG-C'];
      const everything = await repository.timelineOf(database.db, areas);
      const fromThen = await repository.timelineOf(database.db, areas, undefined, undefined, {
        from: at(from),
      });
      for (const instant of INSTANTS.filter((i) => i >= from))
        expect({ instant, levels: levelsOfDeclaredAreas(fromThen, at(instant)) }).toEqual({
          instant,
          levels: levelsOfDeclaredAreas(everything, at(instant)),
        });
      // Per area: the one started last by then, and those still to start.
      const started = new Set(fromThen.filter((e) => e.effectiveAt <= at(from)).map((e) => e.areaCode));
      expect(fromThen.filter((e) => e.effectiveAt <= at(from))).toHaveLength(started.size);
      // Leaving one out leaves it out before that choice: the one started before it takes its place.
      const withoutLatest = await repository.timelineOf(database.db, areas, undefined, undefined, {
        from: at('2022-10-02T00:00:00Z'),
        excluding: 'c-second',
      });
      expect(withoutLatest.filter((e) => e.areaCode === 'KG-C').map((e) => e.declarationId)).toEqual([
        'c-first',
      ]);
    },
  );

  it('takes the next start from a declaration that was cancelled only after it started', async () => {
    const [level] = levelsOfDeclaredAreas(
      await repository.timelineAround({ kind: 'areas', codes: ['KG-GB', 'KG'] }, at('2022-08-15T00:00:00Z')),
      at('2022-08-15T00:00:00Z'),
    ).filter((l) => l.areaCode === 'KG-GB');
    expect(level).toMatchObject({ declarationId: 'gb-2', until: at('2022-09-01T00:00:00Z') });
  });

  it('breaks a tie of start times for the later-created declaration, within a country scope', async () => {
    const entries = await repository.timelineAround(
      { kind: 'country', code: 'KG' },
      at('2022-10-02T00:00:00Z'),
    );
    expect(entries.filter((e) => e.areaCode === 'KG-C').map((e) => e.declarationId)).toEqual(['c-second']);
  });
});

describe.each(DATABASE_DRIVERS)('DeclarationsRepository origin on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeclarationsRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedBuiltinSchemes(database.db, BUILTIN_SCHEMES);
    repository = new DeclarationsRepository(database.db);
  });
  afterAll(() => database?.close());

  it('keeps the origin of an imported declaration and null for one published here', async () => {
    const origin = {
      sourceId: 'src_1',
      sourceName: 'KNB feed',
      sender: 'knb@example.kz',
      identifier: 'KZ-2022-001',
      sent: '2022-01-07T09:00:00+06:00',
    };
    const created = at('2022-02-01T00:00:00Z');
    await repository.inLevelWriteTransaction(async (tx) => {
      await repository.insert(
        tx,
        'd-imported',
        { ...declaration(['KZ'], 'red', '2022-01-07T00:00:00Z'), origin },
        actor,
        created,
      );
      await repository.insert(
        tx,
        'd-typed',
        declaration(['KZ-75'], 'red', '2022-01-07T00:00:00Z'),
        actor,
        created,
      );
    });
    expect((await repository.findById('d-imported', created))?.origin).toEqual(origin);
    expect((await repository.findById('d-typed', created))?.origin).toBeNull();
  });
});

describe.each(DATABASE_DRIVERS)('DeclarationsRepository, approval and modes, on %s', (driver) => {
  let database: TestDatabase;
  let repository: DeclarationsRepository;
  const created = at('2030-01-01T00:00:00Z');
  const approver = { id: 'key_2', name: 'second desk' };
  const insert = (id: string, d: NewDeclaration) =>
    repository.inLevelWriteTransaction((tx) => repository.insert(tx, id, d, actor, created));
  const idsIn = (entries: { declarationId: string }[]) =>
    [...new Set(entries.map((e) => e.declarationId))].sort();

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedBuiltinSchemes(database.db, BUILTIN_SCHEMES);
    repository = new DeclarationsRepository(database.db);
    await insert('d-actual', declaration(['KZ'], 'yellow', '2030-01-01T00:00:00Z'));
    await insert('d-pending', {
      ...declaration(['KZ'], 'red', '2030-01-01T00:00:00Z'),
      approval: 'pending',
    });
    await insert('d-exercise', {
      ...declaration(['KZ'], 'orange', '2030-01-01T00:00:00Z'),
      mode: 'exercise',
    });
    await insert('d-urgent', {
      ...declaration(['KZ-75'], 'red', '2030-01-01T00:00:00Z'),
      approval: 'urgent',
      urgentReason: 'Attack under way.',
    });
  });
  afterAll(() => database?.close());

  it('reads back mode, approval and the urgent reason', async () => {
    const urgent = await repository.findById('d-urgent', created);
    expect(urgent).toMatchObject({
      mode: 'actual',
      approval: 'urgent',
      urgentReason: 'Attack under way.',
      createdByKey: 'key_1',
      decidedAt: null,
      decidedBy: null,
      cancelRequest: null,
    });
    expect(await repository.findById('d-exercise', created)).toMatchObject({
      mode: 'exercise',
      approval: null,
    });
  });

  it('leaves pending declarations and exercises out of every timeline, unless asked for one by id', async () => {
    const later = at('2030-01-02T00:00:00Z');
    expect(idsIn(await repository.timelineOf(database.db, ['KZ', 'KZ-75'], 'kz-terror'))).toEqual([
      'd-actual',
      'd-urgent',
    ]);
    expect(idsIn(await repository.timelineAround({ kind: 'all' }, later))).toEqual(['d-actual', 'd-urgent']);
    expect(idsIn(await repository.timelineAround({ kind: 'country', code: 'KZ' }, later))).toEqual([
      'd-actual',
      'd-urgent',
    ]);
    expect(idsIn(await repository.timelineOf(database.db, ['KZ'], 'kz-terror', 'd-exercise'))).toEqual([
      'd-actual',
      'd-exercise',
    ]);
  });

  it('gives a pending declaration the status pending_approval, and an exercise its own status', async () => {
    const later = at('2030-01-02T00:00:00Z');
    const pending = await repository.findMany({ status: 'pending_approval', limit: 10 }, later);
    expect(pending.map((d) => d.id)).toEqual(['d-pending']);
    // A later exercise supersedes no actual declaration, and a pending one supersedes nothing.
    expect((await repository.findById('d-actual', later))?.status).toBe('active');
    expect((await repository.findById('d-exercise', later))?.status).toBe('active');
    expect((await repository.findMany({ mode: 'exercise', limit: 10 }, later)).map((d) => d.id)).toEqual([
      'd-exercise',
    ]);
  });

  it('approves a pending declaration from the instant given, in its areas too', async () => {
    await insert('d-late', { ...declaration(['KZ-71'], 'red', '2030-01-01T00:00:00Z'), approval: 'pending' });
    const approvedAt = at('2030-01-03T00:00:00Z');
    await repository.inLevelWriteTransaction((tx) =>
      repository.markApproved(tx, 'd-late', approver, approvedAt, approvedAt),
    );
    expect(await repository.findById('d-late', approvedAt)).toMatchObject({
      status: 'active',
      approval: 'approved',
      effectiveAt: approvedAt,
      decidedAt: approvedAt,
      decidedBy: approver,
    });
    const entries = await repository.timelineAround({ kind: 'areas', codes: ['KZ-71'] }, approvedAt);
    expect(entries.map((e) => [e.declarationId, e.effectiveAt])).toEqual([['d-late', approvedAt]]);
    const before = await repository.timelineAround(
      { kind: 'areas', codes: ['KZ-71'] },
      at('2030-01-02T00:00:00Z'),
    );
    expect(before.map((e) => [e.declarationId, e.effectiveAt])).toEqual([['d-late', approvedAt]]);
    expect(before[0].effectiveAt > at('2030-01-02T00:00:00Z')).toBe(true);
  });

  it('rejects a pending declaration once, with its reason; it never joins a timeline', async () => {
    await insert('d-refused', {
      ...declaration(['KZ-79'], 'red', '2030-01-01T00:00:00Z'),
      approval: 'pending',
    });
    const now = at('2030-01-02T00:00:00Z');
    await repository.inLevelWriteTransaction((tx) =>
      repository.markRejected(tx, 'd-refused', approver, 'Not confirmed.', now),
    );
    // A second decision changes nothing: only a pending declaration is decided.
    await repository.inLevelWriteTransaction((tx) =>
      repository.markApproved(tx, 'd-refused', approver, now, now),
    );
    expect(await repository.findById('d-refused', now)).toMatchObject({
      status: 'rejected',
      approval: 'rejected',
      rejectReason: 'Not confirmed.',
      decidedBy: approver,
    });
    expect(await repository.timelineOf(database.db, ['KZ-79'], 'kz-terror')).toEqual([]);
  });

  it('keeps a cancel request until it is dropped, changing nothing else', async () => {
    const now = at('2030-01-02T00:00:00Z');
    await repository.inLevelWriteTransaction((tx) =>
      repository.markCancelRequested(tx, 'd-urgent', actor, 'All clear.', now),
    );
    expect(await repository.findById('d-urgent', now)).toMatchObject({
      status: 'active',
      cancelledAt: null,
      cancelRequest: { requestedAt: now, requestedBy: actor, reason: 'All clear.' },
    });
    const awaiting = async () =>
      (await repository.findMany({ awaitingApproval: true, limit: 10 }, now)).map((d) => d.id).sort();
    expect(await awaiting()).toEqual(['d-pending', 'd-urgent']);
    await repository.inLevelWriteTransaction((tx) => repository.clearCancelRequest(tx, 'd-urgent'));
    expect((await repository.findById('d-urgent', now))?.cancelRequest).toBeNull();
    expect(await awaiting()).toEqual(['d-pending']);
  });
});
