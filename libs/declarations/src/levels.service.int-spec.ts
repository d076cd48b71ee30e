import { Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AppConfig, Clock, loadConfig } from '@tocsin/config';
import { DATABASE } from '@tocsin/database';
import { QueueModule } from '@tocsin/queue';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { SchemesService } from '@tocsin/schemes';
import { DeclarationsModule } from './declarations.module';
import { DeclarationsRepository } from './declarations.repository';
import { DeclarationsService, PublishRequest } from './declarations.service';
import { LevelList } from './level-list';
import { LevelsService } from './levels.service';

/** A clock the test moves by hand; every process of the test reads the same one. */
class TestClock extends Clock {
  instant = new Date('2030-01-01T00:00:00Z');
  override now(): Date {
    return new Date(this.instant);
  }
  set(iso: string): void {
    this.instant = new Date(iso);
  }
}

const actor = { id: 'key_1', name: 'duty desk' };
const advisory = (areas: string[], level: string, more: Partial<PublishRequest> = {}): PublishRequest => ({
  scheme: 'travel-advisory',
  level,
  areas,
  headline: 'Travel advisory',
  summary: 'Summary.',
  authority: 'Desk',
  ...more,
});
/** The list's items in `areas`, as (area, declaration, level code, colour, until). */
const itemsIn = (list: LevelList, areas: string[]) =>
  list.items
    .filter((item) => areas.includes(item.area.code))
    .map(({ area, level }) => [
      area.code,
      level.declarationId,
      level.level.code,
      level.level.color,
      level.until?.toISOString() ?? null,
    ]);

describe.each(DATABASE_DRIVERS)('LevelsService.current, two processes on one %s database', (driver) => {
  let database: TestDatabase;
  const clock = new TestClock();
  // Each "process" is the declarations module compiled on its own, with its own LevelsService and cache.
  const processes: TestingModule[] = [];
  const start = async () => {
    @Global()
    @Module({
      providers: [
        { provide: DATABASE, useValue: database.db },
        { provide: Clock, useValue: clock },
        { provide: AppConfig, useValue: loadConfig({}) },
      ],
      exports: [DATABASE, Clock, AppConfig],
    })
    class Infrastructure {}
    const process = await Test.createTestingModule({
      imports: [Infrastructure, QueueModule, DeclarationsModule],
    }).compile();
    await process.init(); // seeds the built-in schemes, as the app does at start
    processes.push(process);
    return {
      levels: process.get(LevelsService),
      declarations: process.get(DeclarationsService),
      schemes: process.get(SchemesService),
      revision: () => process.get(DeclarationsRepository).levelRevision(),
    };
  };
  let writer: Awaited<ReturnType<typeof start>>;
  let reader: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    writer = await start();
    reader = await start();
  });
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.close()));
    await database?.close();
  });

  it('keeps its list while nothing is written and nothing falls due', async () => {
    clock.set('2030-01-01T00:00:00Z');
    const first = await reader.levels.current();
    clock.set('2030-01-01T00:00:30Z');
    expect(await reader.levels.current()).toBe(first);
  });

  it('shows at once what another process publishes, schedules, supersedes, recolours and cancels', async () => {
    clock.set('2030-02-01T00:00:00Z');
    expect(itemsIn(await reader.levels.current(), ['KG'])).toEqual([]);

    const published = await writer.declarations.publish(advisory(['KG'], '3'), actor);
    const colour = (await writer.schemes.get('travel-advisory')).levels.find((l) => l.code === '3')!.color;
    expect(itemsIn(await reader.levels.current(), ['KG'])).toEqual([['KG', published.id, '3', colour, null]]);

    clock.set('2030-02-01T00:01:00Z');
    const scheduled = await writer.declarations.publish(
      advisory(['KG'], '2', { effectiveAt: new Date('2030-03-01T00:00:00Z') }),
      actor,
    );
    expect(itemsIn(await reader.levels.current(), ['KG'])).toEqual([
      ['KG', published.id, '3', colour, '2030-03-01T00:00:00.000Z'],
    ]);

    await writer.declarations.cancel(scheduled.id, actor, 'not after all');
    expect(itemsIn(await reader.levels.current(), ['KG'])).toEqual([['KG', published.id, '3', colour, null]]);

    await writer.schemes.update('travel-advisory', { levels: [{ code: '3', color: '#123456' }] });
    expect(itemsIn(await reader.levels.current(), ['KG'])).toEqual([
      ['KG', published.id, '3', '#123456', null],
    ]);

    const successor = await writer.declarations.publish(advisory(['KG'], '4'), actor);
    expect(itemsIn(await reader.levels.current(), ['KG'])).toEqual([
      ['KG', successor.id, '4', expect.any(String), null],
    ]);

    clock.set('2030-02-01T00:02:00Z');
    await writer.declarations.cancel(successor.id, actor, null);
    expect(itemsIn(await reader.levels.current(), ['KG'])).toEqual([]);
  });

  it('replaces its list when a start or an expiry falls due, with no write in between', async () => {
    clock.set('2030-04-01T00:00:00Z');
    const declared = await writer.declarations.publish(
      advisory(['UZ'], '2', {
        effectiveAt: new Date('2030-04-01T01:00:00Z'),
        expiresAt: new Date('2030-04-01T02:00:00Z'),
      }),
      actor,
    );
    const revision = await reader.revision();
    const before = await reader.levels.current();
    expect(itemsIn(before, ['UZ'])).toEqual([]);
    expect(before.validUntil).toEqual(new Date('2030-04-01T01:00:00Z'));

    clock.set('2030-04-01T00:59:59.999Z');
    expect(await reader.levels.current()).toBe(before);
    clock.set('2030-04-01T01:00:00Z');
    expect(itemsIn(await reader.levels.current(), ['UZ'])).toEqual([
      ['UZ', declared.id, '2', expect.any(String), '2030-04-01T02:00:00.000Z'],
    ]);
    clock.set('2030-04-01T02:00:00Z');
    expect(itemsIn(await reader.levels.current(), ['UZ'])).toEqual([]);
    expect(await reader.revision()).toBe(revision);
  });

  it('works out a list for another instant afresh, leaving the list of now in place', async () => {
    clock.set('2030-05-01T00:00:00Z');
    const past = await writer.declarations.publish(
      advisory(['TJ'], '2', {
        effectiveAt: new Date('2030-04-10T00:00:00Z'),
        expiresAt: new Date('2030-04-20T00:00:00Z'),
      }),
      actor,
    );
    const now = await reader.levels.current();
    expect(itemsIn(now, ['TJ'])).toEqual([]);
    const then = await reader.levels.all(new Date('2030-04-15T00:00:00Z'));
    expect(itemsIn(then, ['TJ'])).toEqual([
      ['TJ', past.id, '2', expect.any(String), '2030-04-20T00:00:00.000Z'],
    ]);
    expect(await reader.levels.current()).toBe(now);
  });
});
