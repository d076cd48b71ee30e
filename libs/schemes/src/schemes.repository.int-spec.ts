import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
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

  it('refuses a second scheme with a taken id', async () => {
    const custom = { ...BUILTIN_SCHEMES[0], id: 'custom' };
    expect(await repository.insert(custom)).toBe(true);
    expect(await repository.insert(custom)).toBe(false);
    expect(await repository.findById('nope')).toBeNull();
  });
});
