import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { types } from '@electric-sql/pglite';
import { describeError } from '@tocsin/config';
import { eventually } from '../../../test/support/eventually';
import { EmbeddedQueryError, PGliteThread } from './pglite-thread-client';

describe('PGlite on a thread of its own', () => {
  let pg: PGliteThread;
  beforeEach(async () => {
    pg = await PGliteThread.open(null);
    await pg.exec('create table alert (id int primary key, area text not null, sent_at timestamptz)');
  });
  afterEach(async () => {
    await pg.close();
  });

  it('answers queries in either row mode, with the parsers Drizzle passes keeping a type as text', async () => {
    await pg.query('insert into alert values ($1, $2, $3)', [1, 'KZ-75', '2026-01-07T10:00:00Z']);
    const objects = await pg.query<{ id: number; sent_at: unknown }>('select id, sent_at from alert');
    expect(objects.rows).toEqual([{ id: 1, sent_at: new Date('2026-01-07T10:00:00Z') }]);
    const arrays = await pg.query<unknown[]>('select id, sent_at from alert', [], {
      rowMode: 'array',
      parsers: { [types.TIMESTAMPTZ]: (text: string) => text },
    });
    expect(arrays.rows).toEqual([[1, '2026-01-07 10:00:00+00']]);
    expect(arrays.fields.map((field) => field.name)).toEqual(['id', 'sent_at']);
  });

  it('commits a transaction whose body resolves and rolls back one that throws or calls rollback', async () => {
    const returned = await pg.transaction(async (tx) => {
      await tx.query('insert into alert (id, area) values (1, $1)', ['KZ']);
      return 'done';
    });
    expect(returned).toBe('done');
    await expect(
      pg.transaction(async (tx) => {
        await tx.query('insert into alert (id, area) values (2, $1)', ['KZ-75']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await pg.transaction(async (tx) => {
      await tx.query('insert into alert (id, area) values (3, $1)', ['KZ-19']);
      await tx.rollback();
      expect(tx.closed).toBe(true);
      await expect(tx.query('select 1')).rejects.toThrow('Transaction is closed');
    });
    expect((await pg.query<{ id: number }>('select id from alert order by id')).rows).toEqual([{ id: 1 }]);
  });

  it('runs a query sent from outside an open transaction only once that transaction has ended', async () => {
    const order: string[] = [];
    let outside: Promise<unknown> = Promise.resolve();
    await pg.transaction(async (tx) => {
      await tx.query('insert into alert (id, area) values (1, $1)', ['KZ']);
      outside = pg.query<{ n: number }>('select count(*)::int as n from alert').then((result) => {
        order.push(`outside saw ${result.rows[0]?.n}`);
      });
      await tx.query('insert into alert (id, area) values (2, $1)', ['KZ']);
      order.push('transaction body done');
    });
    await outside;
    expect(order).toEqual(['transaction body done', 'outside saw 2']);
  });

  it('keeps the driver fields of a failed query (code, severity, constraint), as describeError reads them', async () => {
    await pg.query('insert into alert (id, area) values (1, $1)', ['KZ']);
    const failure = await pg
      .query('insert into alert (id, area) values (1, $1)', ['KZ'])
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EmbeddedQueryError);
    expect(failure).toMatchObject({ code: '23505', severity: 'ERROR', constraint: 'alert_pkey' });
    expect(describeError(failure)).toContain('SQLSTATE 23505, constraint alert_pkey');
    const inTransaction = await pg
      .transaction((tx) => tx.query('select $1::int', ['not a number']))
      .catch((e: unknown) => e);
    expect(inTransaction).toMatchObject({ code: '22P02' });
  });

  it('calls a listener for each committed notification and none once it has unlistened', async () => {
    const payloads: string[] = [];
    const unlisten = await pg.listen('tocsin_outbox', (payload) => payloads.push(payload));
    await pg.transaction(async (tx) => {
      await tx.query(`select pg_notify('tocsin_outbox', 'first')`);
    });
    await pg
      .transaction(async (tx) => {
        await tx.query(`select pg_notify('tocsin_outbox', 'rolled back')`);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await pg.query(`select pg_notify('tocsin_outbox', 'second')`);
    await eventually(
      () => payloads.length,
      (n) => n >= 2,
      { what: 'two notifications' },
    );
    expect(payloads).toEqual(['first', 'second']);
    await unlisten();
    await pg.query(`select pg_notify('tocsin_outbox', 'unheard')`);
    // A notification after the next query's answer would have arrived before it: the port keeps order.
    await pg.query('select 1');
    expect(payloads).toEqual(['first', 'second']);
  });

  it('leaves the event loop free while a long query runs', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    try {
      const started = Date.now();
      await pg.query('select count(*) from generate_series(1, 3000000)');
      const tookMs = Date.now() - started;
      // On the app's own thread the timer could not fire at all until the query ended.
      expect(tookMs).toBeGreaterThan(50);
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(tookMs / 5 / 4));
    } finally {
      clearInterval(ticker);
    }
  });

  it('refuses requests once closed, saying that its thread has ended', async () => {
    const closing = await PGliteThread.open(null);
    await closing.close();
    await expect(closing.query('select 1')).rejects.toThrow("the embedded database's thread ended");
  });
});

describe('PGlite on a thread, in a folder', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'tocsin-pglite-thread-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('has written what it committed to the folder once closed, for the next open to read', async () => {
    const first = await PGliteThread.open(folder);
    await first.exec(`create table level (area text primary key); insert into level values ('KZ-75')`);
    await first.close();
    const second = await PGliteThread.open(folder);
    try {
      expect((await second.query('select area from level')).rows).toEqual([{ area: 'KZ-75' }]);
    } finally {
      await second.close();
    }
  });
});
