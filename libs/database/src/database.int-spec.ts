import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from './database';
import { createTestDatabase, DATABASE_DRIVERS, TEST_POSTGRES_URL } from './testing/test-database';

describe.each(DATABASE_DRIVERS)('database on %s', (driver) => {
  it('creates every table of the schema', async () => {
    const test = await createTestDatabase(driver);
    try {
      const rows = await queryRows<{ table_name: string }>(
        test.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      expect(rows.map((row) => row.table_name)).toEqual([
        'api_keys',
        'area_sequences',
        'declaration_areas',
        'declarations',
        'deliveries',
        'delivery_attempts',
        'email_subscriptions',
        'instance_secrets',
        'outbox',
        'scheme_levels',
        'schemes',
        'webhook_endpoints',
      ]);
    } finally {
      await test.close();
    }
  });
});

describe('openDatabase', () => {
  it('says which database it could not open, without its password', async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.port = '1';
    url.password = 'hunter2';
    await expect(openDatabase({ databaseUrl: url.toString() })).rejects.toThrow(
      /cannot open the database at .*\*\*\*/,
    );
    await expect(openDatabase({ databaseUrl: url.toString() })).rejects.not.toThrow(/hunter2/);
  });

  it('migrates a PostgreSQL database only once when two processes start together', async () => {
    const test = await createTestDatabase('postgres');
    try {
      const again = await Promise.all([
        openDatabase({ databaseUrl: test.url! }),
        openDatabase({ databaseUrl: test.url! }),
      ]);
      await Promise.all(again.map((open) => open.close()));
      const [migrations] = await queryRows<{ count: string }>(
        test.db,
        sql`select count(*)::text as count from drizzle.__drizzle_migrations`,
      );
      expect(migrations.count).toBe('4');
    } finally {
      await test.close();
    }
  });
});
