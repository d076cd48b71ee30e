import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { type Query, SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Client, Pool } from 'pg';
import * as schema from './schema';
import { describeError, redactUrl } from '@tocsin/config';
import { PGliteThread } from './pglite-thread-client';
import { LockHeld, takeProcessLock } from './process-lock';

/** The one query interface over both PostgreSQL and PGlite: same schema, same SQL. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A database a test or the app opened: the query interface and how to close it. */
export interface OpenDatabase {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** Where it lives, for log lines: the URL without its password, or the PGlite folder. */
  location: string;
  /**
   * Calls `onNotify` whenever a committed transaction has run `select pg_notify(channel, …)` (see `notify`),
   * until the returned function is called. On PostgreSQL it keeps its own connection, and after losing it
   * reconnects and calls `onNotify` once, for whatever it may have missed.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = resolve(__dirname, '..', 'migrations');

/** Serialises migrations when several processes (API, workers) start at once against one PostgreSQL. */
const MIGRATION_LOCK = 7_401_336_610;

export type DatabaseTarget = { databaseUrl: string } | { pgliteDir: string | null };

/** Opens PostgreSQL at `databaseUrl`, or PGlite in `pgliteDir` (null = in memory), and brings its schema up to date. */
export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  if ('databaseUrl' in target) {
    const pool = new Pool({ connectionString: target.databaseUrl, max: 10, connectionTimeoutMillis: 5000 });
    pool.on('error', () => undefined); // an idle client's error is reported on its next use
    const location = redactUrl(target.databaseUrl);
    try {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
        await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw new Error(`cannot open the database at ${location}: ${describeError(error)}`, {
        cause: error,
      });
    }
    const db = drizzleNodePg(pool, { schema }) as unknown as Database;
    return {
      db,
      driver: 'postgres',
      location,
      listen: (channel, onNotify) => listenOnPostgres(target.databaseUrl, channel, onNotify),
      close: () => pool.end(),
    };
  }

  // PGlite runs on a thread of its own, so that its queries leave the event loop to the sends. This thread
  // takes the folder's lock before that thread opens the folder, and releases it once the thread has closed it.
  let client: PGliteThread | null = null;
  let db: Database;
  const releaseLock = target.pgliteDir ? lockEmbeddedDatabase(target.pgliteDir) : () => undefined;
  try {
    client = await PGliteThread.open(target.pgliteDir);
    // Drizzle's PGlite driver calls only `query` and `transaction` on its client (drizzle-orm/pglite/session).
    const pglite = drizzlePglite(client as unknown as PGlite, { schema });
    await migratePglite(pglite, { migrationsFolder: MIGRATIONS_FOLDER });
    db = pglite as unknown as Database;
  } catch (error) {
    await client?.close().catch(() => undefined);
    releaseLock();
    throw new Error(
      `cannot open the embedded database in ${target.pgliteDir ?? 'memory'}: ${describeError(error)}`,
      {
        cause: error,
      },
    );
  }
  const thread = client;
  return {
    db,
    driver: 'pglite',
    location: target.pgliteDir ?? 'memory',
    listen: (channel, onNotify) => thread.listen(channel, () => onNotify()),
    close: () => thread.close().finally(releaseLock),
  };
}

/**
 * Only one process may open an embedded database (see process-lock.ts): its lock is `pglite.lock` beside it
 * in DATA_DIR. A second process stops here, naming the folder.
 */
function lockEmbeddedDatabase(pgliteDir: string): () => void {
  const dataDir = dirname(resolve(pgliteDir));
  mkdirSync(pgliteDir, { recursive: true });
  try {
    return takeProcessLock(join(dataDir, 'pglite.lock'));
  } catch (error) {
    if (!(error instanceof LockHeld)) throw error;
    const { pid, host } = error.holder;
    throw new Error(
      `DATA_DIR ${dataDir} is in use by another process (pid ${pid} on ${host}): one process per embedded ` +
        'database; stop that one, or set DATABASE_URL to run several',
    );
  }
}

/** Notified by every transaction that writes outbox events, so that a relay need not wait for its next poll. */
export const OUTBOX_CHANNEL = 'tocsin_outbox';

/** Wakes listeners of `channel` when the transaction that runs it commits (not at all if it rolls back). */
export const notify = (channel: string): SQL => sql`select pg_notify(${channel}, '')`;

const RECONNECT_MS = 1000;

/** LISTEN on a connection of its own (a pooled one would be handed to other queries), kept up until closed. */
async function listenOnPostgres(
  databaseUrl: string,
  channel: string,
  onNotify: () => void,
): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  let client: Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  const reconnectLater = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect(true);
    }, RECONNECT_MS);
  };
  const connect = async (again: boolean) => {
    const candidate = new Client({
      connectionString: databaseUrl,
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    candidate.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    candidate.on('error', () => undefined); // followed by 'end'
    candidate.on('end', () => {
      if (client === candidate) client = null;
      reconnectLater();
    });
    try {
      await candidate.connect();
      await candidate.query(`listen ${channel}`);
      if (closed) return void (await candidate.end());
      client = candidate;
      if (again) onNotify();
    } catch {
      await candidate.end().catch(() => undefined);
      reconnectLater();
    }
  };
  await connect(false);
  return async () => {
    closed = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

/** The embedded database lives in `<dataDir>/pglite`. */
export function pgliteDirIn(dataDir: string): string {
  return join(resolve(dataDir), 'pglite');
}

export async function ping(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}

/**
 * `values` as an SQL text array built from one JSON parameter: one parameter however many values (drizzle
 * builds a list of a hundred parameters slowly), the same text whatever their number (a prepared statement
 * stays one), and `column = any(…)` of it is planned as an index lookup.
 */
export const textArray = (values: readonly string[]): SQL =>
  sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** Runs raw SQL and returns its rows; both drivers answer `{ rows }`. */
export async function queryRows<T>(db: Pick<Database, 'execute'>, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const dialect = new PgDialect();
/** Statement names by text: a name is the text's hash, so one name never stands for two texts. */
const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 500;

/**
 * `queryRows` for a hot statement whose text does not vary with its values (a fan-out page, a delivery
 * batch and its outcomes): on PostgreSQL a named prepared statement, which after its first five runs on a
 * connection PostgreSQL runs on a generic plan, planned once (`plan_cache_mode` stays `auto`: forcing
 * generic plans would reach every parameterised statement, and one cannot use a partial index on
 * `status = 'pending'` for `status = $1`). Planning the fan-out's page statement took 3–5 ms, more than
 * running it, on the path from a declaration to its first webhook; a batch's statements 1–2 ms each.
 * PGlite ignores the name.
 * A text built with a varying number of parameters (`in (…)`) would be one statement per shape: use
 * `= any(array)` in such a text, or `queryRows`.
 */
export async function queryPrepared<T>(db: Pick<Database, '_'>, query: SQL): Promise<T[]> {
  return runCompiled<T>(db, dialect.sqlToQuery(query), {});
}

/** A statement built once, run with its placeholders' values: see `compiledStatement`. */
export type CompiledStatement<T, V> = (db: Pick<Database, '_'>, values: V) => Promise<T[]>;

/**
 * A hot statement whose text is built once, at its first run, and whose values are named in it with
 * `sql.placeholder(name)` and given at each run: `queryPrepared` without building the text again. The
 * fan-out's first pages, three channels' pages in one text, took 0.5–0.8 ms of JS to build, on the path
 * from a declaration to its first webhook. `build` must not depend on anything but its placeholders.
 */
export function compiledStatement<T, V extends Record<string, unknown>>(
  build: () => SQL,
): CompiledStatement<T, V> {
  let compiled: Query | undefined;
  return (db, values) => runCompiled<T>(db, (compiled ??= dialect.sqlToQuery(build())), values);
}

async function runCompiled<T>(db: Pick<Database, '_'>, compiled: Query, values: Record<string, unknown>) {
  let name = statementNames.get(compiled.sql);
  // Past the bound, a text runs unnamed: so many texts are a caller's mistake, not one to fill servers with.
  if (name === undefined && statementNames.size < MAX_STATEMENT_NAMES) {
    name = `tocsin_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 20)}`;
    statementNames.set(compiled.sql, name);
  }
  const result = (await db._.session.prepareQuery(compiled, undefined, name, false).execute(values)) as {
    rows: T[];
  };
  return result.rows;
}
