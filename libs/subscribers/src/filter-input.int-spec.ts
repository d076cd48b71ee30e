import { Global, Module, UnprocessableEntityException } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { DATABASE } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { SchemesModule } from '@tocsin/schemes';
import { FilterInputs } from './filter-input';

/** FilterInputs over the real schemes module on `database`, seeded as the app seeds it at start. */
async function filterInputsOn(
  database: TestDatabase,
): Promise<{ filters: FilterInputs; module: TestingModule }> {
  @Global()
  @Module({ providers: [{ provide: DATABASE, useValue: database.db }], exports: [DATABASE] })
  class Infrastructure {}
  const module = await Test.createTestingModule({
    imports: [Infrastructure, SchemesModule],
    providers: [FilterInputs],
  }).compile();
  await module.init();
  return { filters: module.get(FilterInputs), module };
}

describe.each(DATABASE_DRIVERS)('FilterInputs on %s', (driver) => {
  let database: TestDatabase;
  let module: TestingModule;
  let filters: FilterInputs;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    ({ filters, module } = await filterInputsOn(database));
  });
  afterAll(async () => {
    await module?.close();
    await database?.close();
  });

  it('stores current codes, sorted, and a scheme that exists', async () => {
    expect(
      await filters.normalize({ areas: ['kz-ala', 'GB', 'KZ-75'], scheme: 'kz-terror', minRank: 3 }),
    ).toEqual({ areas: ['GB', 'KZ-75'], schemeId: 'kz-terror', minRank: 3, events: null });
    expect(await filters.normalize({ areas: ['KZ', '*'] })).toMatchObject({ areas: ['*'] });
  });

  it('answers unknown areas and an unknown scheme with a 422 naming them', async () => {
    await expect(filters.normalize({ areas: ['KZ', 'XX'] })).rejects.toThrow(
      new UnprocessableEntityException(
        'Unknown area code: "XX". Use ISO 3166-1 alpha-2 (e.g. "KZ") or ISO 3166-2 (e.g. "KZ-75"), ' +
          'or "*" for everywhere; GET /v1/areas lists them.',
      ),
    );
    await expect(filters.normalize({ areas: ['KZ'], scheme: 'nope' })).rejects.toThrow(
      new UnprocessableEntityException('There is no scheme "nope".'),
    );
  });

  it('lets a database that is away fail as itself, not as "there is no scheme"', async () => {
    const away = await createTestDatabase(driver);
    const onAway = await filterInputsOn(away);
    await away.close();
    try {
      const outcome = onAway.filters.normalize({ areas: ['KZ'], scheme: 'kz-terror' });
      await expect(outcome).rejects.toThrow();
      await expect(outcome).rejects.not.toBeInstanceOf(UnprocessableEntityException);
    } finally {
      await onAway.module.close();
    }
  });
});
