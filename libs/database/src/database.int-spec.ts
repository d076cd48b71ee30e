import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { compiledStatement, MIGRATIONS_FOLDER, openDatabase, queryPrepared, queryRows } from './database';
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
        'audit_log',
        'declaration_areas',
        'declarations',
        'deliveries',
        'delivery_attempts',
        'email_subscription_area_keys',
        'email_subscriptions',
        'instance_secrets',
        'level_revision',
        'outbox',
        'outbox_changes',
        'scheme_levels',
        'schemes',
        'sms_parts',
        'sms_subscription_area_keys',
        'sms_subscriptions',
        'source_items',
        'sources',
        'webhook_endpoint_area_keys',
        'webhook_endpoints',
      ]);
    } finally {
      await test.close();
    }
  });

  it('counts in level_revision every committed write to what the levels are read from', async () => {
    const test = await createTestDatabase(driver);
    const revision = async () =>
      Number(
        (await queryRows<{ revision: string }>(test.db, sql`select revision from level_revision`))[0]
          .revision,
      );
    try {
      expect(await revision()).toBe(0);
      await test.db.execute(sql`insert into api_keys (id, name, role, key_hash, key_prefix)
        values ('key_1', 'k', 'admin', 'hash', 'tk_')`);
      await test.db.execute(sql`insert into schemes (id, name, event, description, authority)
        values ('s', 'S', 'e', 'd', 'a')`);
      expect(await revision()).toBe(0);
      await test.db
        .execute(sql`insert into scheme_levels (scheme_id, code, rank, name, description, measures, cap_severity)
        values ('s', 'high', 1, 'High', 'd', '[]', 'Severe')`);
      await test.db
        .execute(sql`insert into declarations (id, scheme_id, level_code, headline, summary, measures,
          authority, effective_at, created_at, created_by, created_by_name)
        values ('d1', 's', 'high', 'h', 's', '[]', 'a', now(), now(), 'key_1', 'k')`);
      await test.db
        .execute(sql`insert into declaration_areas (declaration_id, area_code, country_code, scheme_id,
          effective_at) values ('d1', 'KZ', 'KZ', 's', now())`);
      await test.db.execute(sql`update declarations set cancelled_at = now() where id = 'd1'`);
      await test.db.execute(sql`update scheme_levels set color = '#ff0000'`);
      expect(await revision()).toBe(5);
      await expect(
        test.db.transaction(async (tx) => {
          await tx.execute(sql`update scheme_levels set color = '#00ff00'`);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await revision()).toBe(5);
    } finally {
      await test.close();
    }
  });
});

describe.each(DATABASE_DRIVERS)('queryPrepared on %s', (driver) => {
  it('answers as queryRows does, in and out of a transaction, whatever the values', async () => {
    const test = await createTestDatabase(driver);
    try {
      const query = (n: number) => sql`select ${n}::int + 1 as next, ${`text ${n}`}::text as label`;
      for (const n of [1, 2, 3, 4, 5, 6, 7])
        expect(await queryPrepared(test.db, query(n))).toEqual(await queryRows(test.db, query(n)));
      const inside = await test.db.transaction((tx) => queryPrepared<{ next: number }>(tx, query(41)));
      expect(inside).toEqual([{ next: 42, label: 'text 41' }]);
    } finally {
      await test.close();
    }
  });
});

describe.each(DATABASE_DRIVERS)('compiledStatement on %s', (driver) => {
  it('builds its text once and answers each run for the values given, in and out of a transaction', async () => {
    const test = await createTestDatabase(driver);
    try {
      const build = jest.fn(
        () =>
          sql`select ${sql.placeholder('n')}::int + 1 as next, ${sql.placeholder('label')}::text as label`,
      );
      const statement = compiledStatement<{ next: number; label: string }, { n: number; label: string }>(
        build,
      );
      for (const n of [1, 2, 3, 4, 5, 6, 7])
        expect(await statement(test.db, { n, label: `text ${n}` })).toEqual([
          { next: n + 1, label: `text ${n}` },
        ]);
      const inside = await test.db.transaction((tx) => statement(tx, { n: 41, label: "it's" }));
      expect(inside).toEqual([{ next: 42, label: "it's" }]);
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      await test.close();
    }
  });
});

describe('queryPrepared on PostgreSQL', () => {
  it('keeps the statement on its connection, which runs it on a generic plan after five runs', async () => {
    const test = await createTestDatabase('postgres');
    try {
      // One connection, so that every run below is on the connection that prepared the statement.
      await test.db.transaction(async (tx) => {
        for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
          await queryPrepared(tx, sql`select ${id}::text as id, 'queryPrepared probe' as probe`);
        const [statement] = await queryRows<{ name: string; generic_plans: string; custom_plans: string }>(
          tx,
          sql`select name, generic_plans, custom_plans from pg_prepared_statements
              where statement like '%queryPrepared probe%' and name like 'tocsin_%'`,
        );
        expect(statement).toMatchObject({ custom_plans: '5', generic_plans: '3' });
      });
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
      // Once each: as many rows as the journal has migrations.
      const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
        entries: unknown[];
      };
      expect(migrations.count).toBe(String(journal.entries.length));
    } finally {
      await test.close();
    }
  });
});
