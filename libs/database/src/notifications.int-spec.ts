import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { notify } from './database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from './testing/test-database';

const CHANNEL = 'tocsin_test_channel';

/** Waits until `count()` reaches `n`, or fails after `ms`. */
async function until(count: () => number, n: number, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (count() < n) {
    if (Date.now() > deadline) throw new Error(`${count()} notifications of ${n} within ${ms} ms`);
    await sleep(10);
  }
}

describe.each(DATABASE_DRIVERS)('notifications on %s', (driver) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await createTestDatabase(driver);
  });
  afterEach(async () => {
    await test.close();
  });

  it('wakes a listener when a notifying transaction commits, not when it rolls back', async () => {
    let woken = 0;
    const unlisten = await test.listen(CHANNEL, () => woken++);
    try {
      await test.db
        .transaction(async (tx) => {
          await tx.execute(notify(CHANNEL));
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await test.db.transaction(async (tx) => {
        await tx.execute(notify(CHANNEL));
        await sleep(100);
        // Not before the commit: a woken relay must find the outbox row.
        expect(woken).toBe(0);
      });
      await until(() => woken, 1);
      await sleep(100);
      expect(woken).toBe(1);
    } finally {
      await unlisten();
    }
    await test.db.execute(notify(CHANNEL));
    await sleep(100);
    expect(woken).toBe(1);
  });

  if (driver === 'postgres') {
    it('listens again after its connection is cut, and calls once for what it may have missed', async () => {
      let woken = 0;
      const unlisten = await test.listen(CHANNEL, () => woken++);
      try {
        await test.db.execute(
          sql`select pg_terminate_backend(pid) from pg_stat_activity
              where datname = current_database() and query = ${`listen ${CHANNEL}`}`,
        );
        await until(() => woken, 1); // the catch-up call after reconnecting
        await test.db.execute(notify(CHANNEL));
        await until(() => woken, 2);
      } finally {
        await unlisten();
      }
    });
  }
});
