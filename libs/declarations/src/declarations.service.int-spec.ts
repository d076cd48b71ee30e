import { ConflictException, ForbiddenException, Global, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AppConfig, Clock, loadConfig } from '@tocsin/config';
import { DATABASE, tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { QueueModule } from '@tocsin/queue';
import { SchemesService } from '@tocsin/schemes';
import { eq, inArray } from 'drizzle-orm';
import { DeclarationsModule } from './declarations.module';
import { DeclarationsService, PublishRequest } from './declarations.service';
import { DueEventsService } from './due-events.service';
import { LevelChangedEvent } from './level-changed-event';
import { LevelsService } from './levels.service';

class TestClock extends Clock {
  instant = new Date('2030-01-01T00:00:00Z');
  override now(): Date {
    return new Date(this.instant);
  }
  advance(ms: number): void {
    this.instant = new Date(this.instant.getTime() + ms);
  }
}

const officerA = { id: 'key_a', name: 'officer A', role: 'publisher' };
const officerB = { id: 'key_b', name: 'officer B', role: 'publisher' };
const admin = { id: 'key_admin', name: 'admin', role: 'admin' };
const red = (areas: string[], more: Partial<PublishRequest> = {}): PublishRequest => ({
  scheme: 'kz-terror',
  level: 'red',
  areas,
  headline: 'Red',
  summary: 'Summary.',
  authority: 'Anti-Terrorist Centre',
  ...more,
});

describe.each(DATABASE_DRIVERS)('DeclarationsService, four eyes and modes, on %s', (driver) => {
  let database: TestDatabase;
  let app: TestingModule;
  let declarations: DeclarationsService;
  let levels: LevelsService;
  let dueEvents: DueEventsService;
  const clock = new TestClock();
  const outboxOf = (id: string) =>
    database.db.select().from(tables.outbox).where(eq(tables.outbox.declarationId, id));
  const auditOf = async (id: string) =>
    (await database.db.select().from(tables.auditLog).where(eq(tables.auditLog.targetId, id))).map((e) => [
      e.action,
      e.actorName,
    ]);
  const levelIn = async (area: string) =>
    (await levels.current()).items.find((i) => i.area.code === area && i.level.schemeId === 'kz-terror')
      ?.level.level.code ?? null;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    @Global()
    @Module({
      providers: [
        { provide: DATABASE, useValue: database.db },
        { provide: Clock, useValue: clock },
        {
          provide: AppConfig,
          useValue: loadConfig({ QUEUE_PREFIX: `tocsin-decl-int-${process.pid}-${driver}` }),
        },
      ],
      exports: [DATABASE, Clock, AppConfig],
    })
    class Infrastructure {}
    app = await Test.createTestingModule({
      imports: [Infrastructure, QueueModule, DeclarationsModule],
    }).compile();
    await app.init();
    declarations = app.get(DeclarationsService);
    levels = app.get(LevelsService);
    dueEvents = app.get(DueEventsService);
    await app.get(SchemesService).update(
      'kz-terror',
      { approval: { minRank: 3 } },
      {
        keyId: admin.id,
        name: admin.name,
        role: admin.role,
      },
    );
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('holds a red as pending, writing no event, until another key approves it; then announces it', async () => {
    const pending = await declarations.publish(red(['KZ-75']), officerA);
    expect(pending).toMatchObject({ status: 'pending_approval', approval: 'pending', createdByKey: 'key_a' });
    expect(await outboxOf(pending.id)).toEqual([]);
    expect(await levelIn('KZ-75')).toBeNull();

    await expect(declarations.approve(pending.id, officerA)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(
      declarations.approve(pending.id, { id: 'key_v', name: 'viewer', role: 'viewer' }),
    ).rejects.toBeInstanceOf(ForbiddenException);

    clock.advance(60_000);
    const approved = await declarations.approve(pending.id, officerB);
    // Its start ("now" when published) passed while it waited: it is in force from its approval.
    expect(approved).toMatchObject({
      status: 'active',
      approval: 'approved',
      decidedBy: { id: 'key_b', name: 'officer B' },
      effectiveAt: clock.now(),
    });
    const [event] = await outboxOf(pending.id);
    expect(event).toMatchObject({ cause: 'declared', mode: 'actual', type: 'threat_level.changed' });
    expect(await levelIn('KZ-75')).toBe('red');
    expect(await auditOf(pending.id)).toEqual([
      ['declaration.published', 'officer A'],
      ['declaration.approved', 'officer B'],
    ]);
    await expect(declarations.approve(pending.id, officerB)).rejects.toBeInstanceOf(ConflictException);
  });

  it('serialises publishes made at once: each event starts from the level the one before it left', async () => {
    // Starts a second apart, all past: the latest start is in force, whatever order they commit in.
    const startsAgo = (seconds: number) => new Date(clock.now().getTime() - seconds * 1000);
    const published = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        declarations.publish(
          red(['KZ-47'], { level: i % 2 ? 'orange' : 'yellow', effectiveAt: startsAgo(10 - i) }),
          officerA,
        ),
      ),
    );
    const events = (
      await database.db
        .select()
        .from(tables.outbox)
        .where(
          inArray(
            tables.outbox.declarationId,
            published.map((d) => d.id),
          ),
        )
    ).sort((a, b) => a.position - b.position);
    expect(events.length).toBeGreaterThan(0);
    let inForce: string | null = null;
    let sequence = 0;
    for (const event of events) {
      const [change] = (event.payload as LevelChangedEvent).data.changes;
      expect(change.previous?.declarationId ?? null).toBe(inForce);
      expect(change.sequence).toBe(++sequence);
      inForce = change.current?.declarationId ?? null;
    }
    expect(inForce).toBe(published[7].id);
    expect(await levelIn('KZ-47')).toBe('orange');
  });

  it('refuses to approve what expired while it waited, and writes nothing', async () => {
    const pending = await declarations.publish(
      red(['KZ-79'], { expiresAt: new Date(clock.now().getTime() + 60_000) }),
      officerA,
    );
    clock.advance(120_000);
    await expect(declarations.approve(pending.id, officerB)).rejects.toBeInstanceOf(ConflictException);
    expect((await declarations.get(pending.id)).approval).toBe('pending');
    expect(await outboxOf(pending.id)).toEqual([]);
  });

  it('makes a publisher’s cancel a request; another key carries it out, an admin cancels at once', async () => {
    const urgent = await declarations.publish(red(['KZ-71'], { urgent: true, urgentReason: 'Now.' }), admin);
    expect(urgent).toMatchObject({ status: 'active', approval: 'urgent', urgentReason: 'Now.' });

    const asked = await declarations.cancel(urgent.id, officerA, 'Over.');
    expect(asked).toMatchObject({ status: 'active', cancelRequest: { requestedBy: { id: 'key_a' } } });
    expect((await outboxOf(urgent.id)).map((e) => e.cause)).toEqual(['declared']);
    await expect(declarations.approve(urgent.id, officerA)).rejects.toBeInstanceOf(ForbiddenException);
    const cancelled = await declarations.approve(urgent.id, officerB);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: 'officer B', cancelReason: 'Over.' });
    expect((await outboxOf(urgent.id)).map((e) => e.cause).sort()).toEqual(['cancelled', 'declared']);
    expect(await auditOf(urgent.id)).toEqual([
      ['declaration.published_urgent', 'admin'],
      ['declaration.cancel_requested', 'officer A'],
      ['declaration.cancelled', 'officer B'],
    ]);

    const other = await declarations.publish(red(['KZ-62'], { urgent: true, urgentReason: 'Now.' }), admin);
    expect((await declarations.cancel(other.id, admin, null)).status).toBe('cancelled');
  });

  it('refuses urgent from a publisher, and urgent without its reason', async () => {
    await expect(
      declarations.publish(red(['KZ-63'], { urgent: true, urgentReason: 'Now.' }), officerA),
    ).rejects.toBeInstanceOf(ForbiddenException);
    await expect(declarations.publish(red(['KZ-63'], { urgent: true }), admin)).rejects.toThrow(
      'urgentReason is required',
    );
  });

  it('announces an exercise and its expiry as exercises against the actual level, changing no level', async () => {
    const actual = await declarations.publish(red(['KZ-33'], { level: 'yellow' }), officerA);
    const expiresAt = new Date(clock.now().getTime() + 60_000);
    const exercise = await declarations.publish(
      red(['KZ-33'], { level: 'orange', mode: 'exercise', expiresAt }),
      officerA,
    );
    expect(exercise).toMatchObject({ mode: 'exercise', status: 'active' });
    expect(await levelIn('KZ-33')).toBe('yellow');

    const events = await outboxOf(exercise.id);
    expect(events.map((e) => [e.cause, e.mode, e.type]).sort()).toEqual([
      ['declared', 'exercise', 'threat_level.exercise'],
      ['expired', 'exercise', 'threat_level.exercise'],
    ]);
    clock.advance(120_000);
    const expiry = events.find((e) => e.cause === 'expired')!;
    const rendered = await dueEvents.render(expiry.eventId);
    expect(rendered.kind).toBe('ready');
    if (rendered.kind !== 'ready') return;
    expect(rendered.event.type).toBe('threat_level.exercise');
    expect(rendered.event.data.changes.map((c) => [c.area.code, c.previous?.code, c.current?.code])).toEqual([
      ['KZ-33', 'orange', 'yellow'],
    ]);
    expect(await levelIn('KZ-33')).toBe('yellow');
    expect((await declarations.get(actual.id)).status).toBe('active');

    // Cancelled, an exercise likewise returns to the actual level.
    const again = await declarations.publish(red(['KZ-33'], { level: 'orange', mode: 'test' }), officerA);
    await declarations.cancel(again.id, officerA, null);
    const ended = (await outboxOf(again.id)).find((e) => e.cause === 'cancelled')!;
    expect(ended.mode).toBe('test');
    const payload = ended.payload as {
      data: { changes: { previous: { code: string }; current: { code: string } }[] };
    };
    expect(payload.data.changes.map((c) => [c.previous.code, c.current.code])).toEqual([
      ['orange', 'yellow'],
    ]);
  });
});
