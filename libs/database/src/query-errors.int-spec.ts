import { Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describeError, describeErrorStack, loadConfig, loggerParams } from '@tocsin/config';
import { sql } from 'drizzle-orm';
import { Logger, LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { queryRows } from './database';
import { emailSubscriptions } from './schema';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from './testing/test-database';

const ADDRESS = 'private.person@ngo.example';

const subscription = (id: string) => ({
  id,
  email: ADDRESS,
  areas: ['KZ'],
  status: 'pending',
  createdAt: new Date(),
  updatedAt: new Date(),
});

/**
 * The app's logger (nestjs-pino with the app's options), writing its JSON lines here. One per test file:
 * nestjs-pino keeps the first logger it makes for the process.
 */
async function capturedLogger(): Promise<{ lines: string[]; close(): Promise<void> }> {
  const lines: string[] = [];
  const { pinoHttp } = loggerParams(loadConfig({ LOG_LEVEL: 'info' }));
  const destination = { write: (line: string) => void lines.push(line) };
  @Module({ imports: [LoggerModule.forRoot({ pinoHttp: [pinoHttp as Options, destination] })] })
  class LoggingModule {}
  const app = await NestFactory.createApplicationContext(LoggingModule, { logger: false });
  app.useLogger(app.get(Logger));
  return { lines, close: () => app.close() };
}

let logger: Awaited<ReturnType<typeof capturedLogger>>;
beforeAll(async () => (logger = await capturedLogger()));
afterAll(() => logger?.close());

describe.each(DATABASE_DRIVERS)('a failed query on %s, as logs show it', (driver) => {
  let database: TestDatabase;
  let unique: unknown;
  let badInput: unknown;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await database.db.insert(emailSubscriptions).values(subscription('sub_1'));
    unique = await database.db
      .insert(emailSubscriptions)
      .values(subscription('sub_2'))
      .then(
        () => null,
        (error: unknown) => error,
      );
    // The driver's own message quotes this value: `invalid input syntax for type uuid: "…"`.
    badInput = await queryRows(database.db, sql`select ${ADDRESS}::uuid`).then(
      () => null,
      (error: unknown) => error,
    );
  });
  afterAll(() => database?.close());

  it('is its SQLSTATE, constraint and statement, without the parameters', () => {
    expect(String((unique as Error).message)).toContain(ADDRESS); // what Drizzle would have logged
    expect(describeError(unique)).toMatch(
      /^query failed \(SQLSTATE 23505, constraint email_subscriptions_email_unique\): insert into "email_subscriptions" \(.*\) values \(\$1, /,
    );
    expect(describeError(unique)).not.toContain(ADDRESS);
    expect(describeError(badInput)).toBe('query failed (SQLSTATE 22P02): select $1::uuid');
    expect(describeErrorStack(unique)).not.toContain(ADDRESS);
    expect(describeErrorStack(unique)).toMatch(/\n\s+at /);
  });

  it('leaves no parameter value in any log line, however the error is logged', async () => {
    logger.lines.length = 0;
    const http = new NestLogger('Http');
    for (const error of [unique, badInput]) {
      http.error(describeError(error), describeErrorStack(error)); // as the problem filter logs a 5xx
      http.warn(`job fanout evt_1 failed: ${describeError(error)}`); // as the worker logs a failed job
      http.error(error); // an error object: pino's `err`, whose message pino would make the line's
      http.error({ err: error, eventId: 'evt_1' });
    }
    const lines = logger.lines.filter((line) => line.includes('"context":"Http"'));
    expect(lines).toHaveLength(8);
    for (const line of lines) {
      expect(line).not.toContain(ADDRESS);
      expect(line).not.toContain('params:');
      expect(JSON.parse(line).msg).toMatch(
        /^(job fanout evt_1 failed: )?query failed \(SQLSTATE (23505|22P02)/,
      );
    }
    const logged = lines.map((line) => JSON.parse(line) as { err?: { code?: string } });
    expect(logged.filter((line) => line.err?.code === '23505')).toHaveLength(2);
  });
});
