import { queryRows } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { sql } from 'drizzle-orm';
import {
  FilteredChange,
  filterMatches,
  subscriberMatchesChangeSql,
  SubscriptionFilter,
} from './subscription-filter';

// The fan-out runs the filter in SQL; here the SQL form is held to the TypeScript rule on every pair of a
// grid of filters and changes, on both databases.
const FILTERS: SubscriptionFilter[] = [];
for (const areas of [['*'], ['KZ'], ['KZ-75'], ['KZ-19', 'GB'], ['GB']]) {
  for (const schemeId of [null, 'kz-terror', 'travel-advisory']) {
    for (const minRank of [null, 2, 3]) {
      for (const events of [
        null,
        ['escalated'],
        ['deescalated'],
        ['deescalated', 'escalated'],
      ] as SubscriptionFilter['events'][]) {
        FILTERS.push({ areas, schemeId, minRank, events });
      }
    }
  }
}
const CHANGES: FilteredChange[] = [];
for (const areaCode of ['KZ', 'KZ-75', 'KZ-19', 'GB', 'FR-75']) {
  for (const schemeId of ['kz-terror', 'travel-advisory']) {
    for (const [previousRank, currentRank, direction] of [
      [null, 3, 'escalated'],
      [3, 2, 'deescalated'],
      [2, null, 'deescalated'],
      [1, 1, 'unchanged'],
      [1, 2, 'escalated'],
    ] as const) {
      CHANGES.push({ areaCode, schemeId, previousRank, currentRank, direction });
    }
  }
}

// A JavaScript array would be spread into a row; as a PostgreSQL array literal it stays one value.
const arrayLiteral = (values: readonly string[] | null) => (values === null ? null : `{${values.join(',')}}`);

describe.each(DATABASE_DRIVERS)('the subscription filter in SQL on %s', (driver) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(driver);
  });
  afterAll(() => database?.close());

  it(`agrees with filterMatches on all ${FILTERS.length * CHANGES.length} pairs of filters and changes`, async () => {
    const filters = sql.join(
      FILTERS.map(
        (f, i) =>
          sql`(${i}::int, ${arrayLiteral(f.areas)}::text[], ${f.schemeId}::text, ${f.minRank}::int, ${arrayLiteral(f.events)}::text[])`,
      ),
      sql`, `,
    );
    const changes = sql.join(
      CHANGES.map(
        (c, i) =>
          sql`(${i}::int, ${c.areaCode}::text, ${c.schemeId}::text, ${c.previousRank}::int, ${c.currentRank}::int, ${c.direction}::text)`,
      ),
      sql`, `,
    );
    const rows = await queryRows<{ f: number; c: number }>(
      database.db,
      sql`select s.i as f, ch.i as c
          from (values ${filters}) as s(i, areas, scheme_id, min_rank, events)
          cross join (values ${changes}) as ch(i, area_code, scheme_id, previous_rank, current_rank, direction)
          where ${subscriberMatchesChangeSql('s', 'ch')}`,
    );
    const inSql = new Set(rows.map((r) => `${r.f}:${r.c}`));
    const inTypeScript = new Set<string>();
    FILTERS.forEach((f, i) =>
      CHANGES.forEach((c, j) => filterMatches(f, c) && inTypeScript.add(`${i}:${j}`)),
    );
    expect(inTypeScript.size).toBeGreaterThan(100);
    expect([...inSql].sort()).toEqual([...inTypeScript].sort());
  });
});
