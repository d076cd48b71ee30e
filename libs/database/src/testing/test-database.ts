import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, OpenDatabase } from '../database';

/** Where the test suite finds PostgreSQL; each test file gets a database of its own there. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const DATABASE_DRIVERS = ['postgres', 'pglite'] as const;
export type DatabaseDriver = (typeof DATABASE_DRIVERS)[number];

export interface TestDatabase extends OpenDatabase {
  /** For PostgreSQL: the URL of this fresh database, to hand to an app under test. */
  url: string | null;
}

/** A fresh, migrated, empty database: a new PostgreSQL database, or an in-memory PGlite. */
export async function createTestDatabase(driver: DatabaseDriver): Promise<TestDatabase> {
  if (driver === 'pglite') return { ...(await openDatabase({ pgliteDir: null })), url: null };
  const url = await createPostgresDatabase();
  const open = await openDatabase({ databaseUrl: url });
  return {
    ...open,
    url,
    close: async () => {
      await open.close();
      await dropPostgresDatabase(url);
    },
  };
}

/** An empty PostgreSQL database (not migrated), for tests that start the app against their own URL. */
export async function createPostgresDatabase(): Promise<string> {
  const name = `tocsin_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^tocsin_test_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
}

/**
 * Makes PostgreSQL refuse (or accept again) every connection to a test database, cutting the sessions it
 * has: the database is away for whatever uses it, while the server stays up for the test.
 */
export async function refusePostgresConnections(url: string, refuse: boolean): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^tocsin_test_[0-9a-f]+$/.test(name)) throw new Error(`refusing to cut ${name}`);
  await withAdmin(async (admin) => {
    await admin.query(`alter database ${name} with allow_connections ${!refuse}`);
    if (refuse) {
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
    }
  });
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
