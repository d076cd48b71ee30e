import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { BUILTIN_SCHEMES, seedBuiltinSchemes } from '@tocsin/schemes';
import { StoredSource } from './source';
import { NewItem, SourcesRepository } from './sources.repository';

const at = (iso: string) => new Date(iso);

const source = (id: string, createdAt: string, kind: StoredSource['kind'] = 'cap-feed'): StoredSource => ({
  id,
  name: `source ${id}`,
  kind,
  url: kind === 'cap-feed' ? `https://${id}.example.org/cap.atom` : null,
  pollSeconds: kind === 'cap-feed' ? 300 : null,
  schemeId: 'kz-terror',
  levelRules: [{ level: 'red', severity: 'Extreme' }],
  areaMap: { 'EMMA_ID=KZ001': 'KZ-75' },
  defaultAreas: ['KZ'],
  enabled: true,
  lastFetchedAt: null,
  lastStatus: null,
  lastError: null,
  counts: { seen: 0, imported: 0, duplicates: 0, rejected: 0 },
  createdAt: at(createdAt),
  updatedAt: at(createdAt),
  pushKeyHash: kind === 'cap-push' ? `hash-${id}` : null,
  etag: null,
  lastModified: null,
});

const item = (
  id: string,
  sourceId: string,
  identifier: string | null,
  outcome: NewItem['outcome'],
): NewItem => ({
  id,
  sourceId,
  sender: identifier && 'sender@example.org',
  identifier,
  sent: identifier && '2022-01-07T09:00:00+06:00',
  outcome,
  reason: null,
  declarationIds: [],
  document: identifier && `<alert>${identifier}</alert>`,
  receivedAt: at('2026-01-01T00:00:00Z'),
});

describe.each(DATABASE_DRIVERS)('SourcesRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: SourcesRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedBuiltinSchemes(database.db, BUILTIN_SCHEMES);
    repository = new SourcesRepository(database.db);
  });
  afterAll(() => database?.close());

  beforeEach(async () => {
    await database.db.delete(tables.sources);
    await repository.insert(source('src_a', '2026-01-01T00:00:00Z'));
    await repository.insert(source('src_b', '2026-01-02T00:00:00Z', 'cap-push'));
  });

  it('reads back what it stored, by id and by push key hash', async () => {
    expect(await repository.findById('src_a')).toEqual(source('src_a', '2026-01-01T00:00:00Z'));
    expect((await repository.findByPushKeyHash('hash-src_b'))?.id).toBe('src_b');
    expect(await repository.findByPushKeyHash('nope')).toBeNull();
  });

  it('lists newest first in pages that lose no row', async () => {
    const first = await repository.findPage({ limit: 1 });
    const second = await repository.findPage({ limit: 5, after: first[0].position });
    expect([...first, ...second].map((s) => s.id)).toEqual(['src_b', 'src_a']);
  });

  it('lets one poll hold a feed until its lease ends, and never a push source', async () => {
    const now = at('2026-01-03T00:00:00Z');
    const until = at('2026-01-03T00:05:00Z');
    expect((await repository.claimPoll('src_a', now, until))?.id).toBe('src_a');
    expect(await repository.claimPoll('src_a', now, until)).toBeNull();
    expect((await repository.claimPoll('src_a', at('2026-01-03T00:06:00Z'), until))?.id).toBe('src_a');
    await repository.recordFetch('src_a', { at: now, status: 200, error: null, etag: '"v1"' }, true);
    expect((await repository.claimPoll('src_a', now, until))?.id).toBe('src_a');
    expect(await repository.claimPoll('src_b', now, until)).toBeNull();
    const stored = await repository.findById('src_a');
    expect([stored?.lastStatus, stored?.etag, stored?.lastFetchedAt]).toEqual([200, '"v1"', now]);
  });

  it('claims a (sender, identifier, sent) once, across sources, and lists duplicates beside it', async () => {
    expect(await repository.claimItem(item('itm_1', 'src_a', 'A-1', 'imported'))).toBe(true);
    expect(await repository.claimItem(item('itm_2', 'src_b', 'A-1', 'imported'))).toBe(false);
    await repository.insertItem(item('itm_3', 'src_a', 'A-1', 'duplicate'));
    await repository.insertItem(item('itm_4', 'src_a', null, 'rejected'));
    await repository.settleItem('itm_1', 'imported', null, ['dcl_1']);
    const listed = await repository.findItems('src_a', { limit: 10 });
    expect(listed.map((i) => [i.id, i.outcome]).sort()).toEqual([
      ['itm_1', 'imported'],
      ['itm_3', 'duplicate'],
      ['itm_4', 'rejected'],
    ]);
    expect(await repository.findItems('src_b', { limit: 10 })).toEqual([]);
    const triple = { sender: 'sender@example.org', identifier: 'A-1', sent: '2022-01-07T09:00:00+06:00' };
    expect(await repository.declarationsFrom('src_a', [triple])).toEqual(['dcl_1']);
    // Another source's references name nothing of src_a's.
    expect(await repository.declarationsFrom('src_b', [triple])).toEqual([]);
    expect(await repository.documentOf(triple, 'dcl_1')).toBe('<alert>A-1</alert>');
    expect(await repository.documentOf(triple, 'dcl_2')).toBeNull();
  });

  it('counts each outcome and every document seen', async () => {
    await repository.count('src_a', 'imported');
    await repository.count('src_a', 'duplicate');
    await repository.count('src_a', 'rejected');
    await repository.count('src_a', 'rejected');
    expect((await repository.findById('src_a'))?.counts).toEqual({
      seen: 4,
      imported: 1,
      duplicates: 1,
      rejected: 2,
    });
  });

  it('deletes a source with its items', async () => {
    await repository.insertItem(item('itm_9', 'src_a', null, 'rejected'));
    expect(await repository.delete('src_a')).toBe(true);
    expect(await repository.delete('src_a')).toBe(false);
    expect(await database.db.select().from(tables.sourceItems)).toEqual([]);
  });
});
