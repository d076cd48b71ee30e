import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { tables } from '@tocsin/database';
import { eq, sql } from 'drizzle-orm';
import { BUILTIN_SCHEMES } from './builtin-schemes';
import { SchemesRepository } from './schemes.repository';

describe.each(DATABASE_DRIVERS)('SchemesRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: SchemesRepository;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new SchemesRepository(database.db);
  });
  afterAll(() => database?.close());

  it('seeds the built-ins once, and a second seeding inserts nothing', async () => {
    expect(await repository.insertMissing(BUILTIN_SCHEMES)).toBe(6);
    expect(await repository.insertMissing(BUILTIN_SCHEMES)).toBe(0);
    const stored = await repository.findAll();
    expect(stored.map((s) => [s.id, s.levels.length, s.builtin])).toEqual([
      ['au-nttas', 5, true],
      ['fr-vigipirate', 3, true],
      ['kz-terror', 3, true],
      ['nl-nctv', 5, true],
      ['travel-advisory', 4, true],
      ['uk-terror', 5, true],
    ]);
  });

  it('reads a scheme back as it was seeded, levels in rank order', async () => {
    const kz = await repository.findById('kz-terror');
    const seeded = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror')!;
    expect(kz).toMatchObject({ ...seeded, builtin: true });
  });

  it('keeps an admin edit of a built-in through a later seeding', async () => {
    const kz = (await repository.findById('kz-terror'))!;
    await repository.update({
      ...kz,
      name: 'Edited',
      levels: kz.levels.map((l) => (l.code === 'red' ? { ...l, name: 'Red alert' } : l)),
    });
    await repository.insertMissing(BUILTIN_SCHEMES);
    const after = (await repository.findById('kz-terror'))!;
    expect(after.name).toBe('Edited');
    expect(after.levels.map((l) => l.name)).toEqual(['Moderate', 'High', 'Red alert']);
  });

  it('gives an install seeded before translations the built-in ones, keeping every language an admin set', async () => {
    // As an install seeded by an earlier version: no translations anywhere, then an admin's Russian name.
    await database.db.update(tables.schemes).set({ translations: {} });
    await database.db.update(tables.schemeLevels).set({ translations: {} });
    await database.db
      .update(tables.schemes)
      .set({ translations: { ru: { name: 'Своё название' }, de: { name: 'Terrorgefahr' } } })
      .where(eq(tables.schemes.id, 'kz-terror'));

    expect(await repository.insertMissing(BUILTIN_SCHEMES)).toBe(0);
    const kz = (await repository.findById('kz-terror'))!;
    const seeded = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror')!;
    expect(kz.translations).toEqual({
      ru: { name: 'Своё название' },
      de: { name: 'Terrorgefahr' },
      kk: seeded.translations!.kk,
    });
    expect(kz.levels.map((l) => l.translations)).toEqual(seeded.levels.map((l) => l.translations));
    expect((await repository.findById('nl-nctv'))!.levels[4].translations.nl?.name).toBe('Kritiek');
    expect((await repository.findById('uk-terror'))!.translations).toEqual({});
  });

  it('writes nothing when every built-in already has its languages', async () => {
    await repository.insertMissing(BUILTIN_SCHEMES);
    const before = await repository.findAll();
    await repository.insertMissing(BUILTIN_SCHEMES);
    expect(await repository.findAll()).toEqual(before);
  });

  it('stores a custom scheme with translations and replaces them on update', async () => {
    const custom = {
      ...BUILTIN_SCHEMES[0],
      id: 'custom-translated',
      translations: { ru: { name: 'Свои уровни' } },
      levels: BUILTIN_SCHEMES[0].levels.map((l) => ({
        ...l,
        translations: { 'kk-KZ': { name: `${l.code} kk` } },
      })),
    };
    expect(await repository.insert(custom)).toBe(true);
    const stored = (await repository.findById('custom-translated'))!;
    expect(stored.translations).toEqual({ ru: { name: 'Свои уровни' } });
    expect(stored.levels[0].translations).toEqual({ 'kk-KZ': { name: `${custom.levels[0].code} kk` } });
    await repository.update({
      ...stored,
      translations: {},
      levels: stored.levels.map((l) => ({ ...l, translations: {} })),
    });
    const updated = (await repository.findById('custom-translated'))!;
    expect([updated.translations, ...updated.levels.map((l) => l.translations)]).toEqual([
      {},
      ...updated.levels.map(() => ({})),
    ]);
  });

  it('refuses a second scheme with a taken id', async () => {
    const custom = { ...BUILTIN_SCHEMES[0], id: 'custom' };
    expect(await repository.insert(custom)).toBe(true);
    expect(await repository.insert(custom)).toBe(false);
    expect(await repository.findById('nope')).toBeNull();
  });

  it('stores an approval rule, keeps it through a later seeding, and clears it to SQL null', async () => {
    const kz = (await repository.findById('kz-terror'))!;
    expect(kz.approval).toBeNull();
    await repository.update({ ...kz, approval: { minRank: 3 } });
    await repository.insertMissing(BUILTIN_SCHEMES);
    expect((await repository.findById('kz-terror'))!.approval).toEqual({ minRank: 3 });
    await repository.update({ ...kz, approval: null });
    expect((await repository.findById('kz-terror'))!.approval).toBeNull();
    const [row] = await database.db
      .select({ cleared: sql<boolean>`${tables.schemes.approval} is null` })
      .from(tables.schemes)
      .where(eq(tables.schemes.id, 'kz-terror'));
    expect(row.cleared).toBe(true);
  });

  it('writes a change and what it asks to write beside it in one transaction', async () => {
    const kz = (await repository.findById('kz-terror'))!;
    await expect(
      repository.update({ ...kz, approval: { minRank: 2 } }, () => Promise.reject(new Error('audit down'))),
    ).rejects.toThrow('audit down');
    expect((await repository.findById('kz-terror'))!.approval).toBeNull();
  });
});
