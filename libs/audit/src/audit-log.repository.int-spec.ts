import { BadRequestException } from '@nestjs/common';
import { tables } from '@tocsin/database';
import { createTestDatabase, DATABASE_DRIVERS, TestDatabase } from '@tocsin/database/testing';
import { eq, sql } from 'drizzle-orm';
import { AuditActor, NewAuditEntry, SYSTEM_ACTOR } from './audit-entry';
import { AuditLogRepository } from './audit-log.repository';
import { AuditService } from './audit.service';

const { auditLog, apiKeys } = tables;

const ADMIN: AuditActor = { keyId: 'key_admin', name: 'KNB duty desk', role: 'admin' };
const INTEGRATOR: AuditActor = { keyId: 'key_alpha', name: 'integrator alpha', role: 'integrator' };

const act = (
  at: string,
  actor: AuditActor,
  action: NewAuditEntry['action'],
  target: NewAuditEntry['target'],
  details: Record<string, unknown> = {},
): NewAuditEntry => ({ at: new Date(at), actor, action, target, details });

// Oldest first, as they are appended; one instant twice, so that order cannot come from `at` alone.
const ACTS = [
  act('2026-01-01T00:00:00Z', SYSTEM_ACTOR, 'api_key.created', { type: 'api_key', id: 'key_admin' }),
  act(
    '2026-01-02T00:00:00Z',
    ADMIN,
    'api_key.created',
    { type: 'api_key', id: 'key_alpha' },
    { role: 'integrator' },
  ),
  act('2026-01-03T00:00:00Z', INTEGRATOR, 'webhook.created', { type: 'webhook', id: 'whk_1' }),
  act(
    '2026-01-03T00:00:00Z',
    INTEGRATOR,
    'webhook.updated',
    { type: 'webhook', id: 'whk_1' },
    { minRank: 2 },
  ),
  act('2026-01-04T00:00:00Z', ADMIN, 'webhook.deleted', { type: 'webhook', id: 'whk_1' }),
  act('2026-01-05T00:00:00Z', ADMIN, 'api_key.revoked', { type: 'api_key', id: 'key_alpha' }),
];

/** The message of a refused query and of what it wraps (drizzle wraps the driver's error). */
async function refusal(query: Promise<unknown>): Promise<string> {
  try {
    await query;
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(' / ');
  }
  throw new Error('the query was not refused');
}

describe.each(DATABASE_DRIVERS)('AuditLogRepository on %s', (driver) => {
  let database: TestDatabase;
  let repository: AuditLogRepository;
  let service: AuditService;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    repository = new AuditLogRepository(database.db);
    service = new AuditService(repository);
    for (const entry of ACTS) await repository.append(entry);
  });
  afterAll(() => database?.close());

  const actions = async (query: Parameters<AuditLogRepository['findPage']>[0]) =>
    (await repository.findPage(query)).map((e) => `${e.action} ${e.target.id}`);

  it('lists what it appended newest first, each entry as it was written', async () => {
    const page = await repository.findPage({ limit: 50 });
    expect(page.map((e) => e.action)).toEqual(ACTS.map((a) => a.action).reverse());
    expect(page[2]).toEqual({
      id: expect.any(Number),
      at: new Date('2026-01-03T00:00:00Z'),
      actor: INTEGRATOR,
      action: 'webhook.updated',
      target: { type: 'webhook', id: 'whk_1' },
      details: { minRank: 2 },
      position: { instant: '2026-01-03T00:00:00.000000Z', id: String(page[2].id) },
    });
    expect(page.at(-1)?.actor).toEqual({ keyId: null, name: 'system', role: 'system' });
    const ids = page.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('pages by the position of the last entry, never repeating or skipping one', async () => {
    const first = await repository.findPage({ limit: 4 });
    const rest = await repository.findPage({ limit: 4, after: first[3].position });
    expect([...first, ...rest].map((e) => e.id)).toEqual(
      (await repository.findPage({ limit: 50 })).map((e) => e.id),
    );
    expect(rest).toHaveLength(2);
    // The entry after the last of a page of two shares its instant: the id decides.
    const two = await repository.findPage({ limit: 3 });
    expect((await repository.findPage({ limit: 1, after: two[2].position }))[0].action).toBe(
      'webhook.created',
    );
  });

  it('filters by acting key, by the system, by action, since an instant and by target', async () => {
    expect(await actions({ limit: 50, actorKeyId: 'key_admin' })).toEqual([
      'api_key.revoked key_alpha',
      'webhook.deleted whk_1',
      'api_key.created key_alpha',
    ]);
    expect(await actions({ limit: 50, actorKeyId: null })).toEqual(['api_key.created key_admin']);
    expect(await actions({ limit: 50, action: 'api_key.created' })).toEqual([
      'api_key.created key_alpha',
      'api_key.created key_admin',
    ]);
    expect(await actions({ limit: 50, since: new Date('2026-01-04T00:00:00Z') })).toEqual([
      'api_key.revoked key_alpha',
      'webhook.deleted whk_1',
    ]);
    expect(await actions({ limit: 50, targetType: 'webhook', targetId: 'whk_1' })).toEqual([
      'webhook.deleted whk_1',
      'webhook.updated whk_1',
      'webhook.created whk_1',
    ]);
    expect(await actions({ limit: 50, targetId: 'key_alpha', actorKeyId: 'key_admin' })).toEqual([
      'api_key.revoked key_alpha',
      'api_key.created key_alpha',
    ]);
    expect(await actions({ limit: 50, actorKeyId: 'key_nobody' })).toEqual([]);
  });

  it('pages a filtered list too', async () => {
    const first = await repository.findPage({ limit: 1, actorKeyId: 'key_admin' });
    const second = await repository.findPage({ limit: 1, actorKeyId: 'key_admin', after: first[0].position });
    expect([first[0].action, second[0].action]).toEqual(['api_key.revoked', 'webhook.deleted']);
  });

  it('refuses a cursor whose id is no audit id with a 400', () => {
    expect(() =>
      service.list({ limit: 10, after: { instant: '2026-01-01T00:00:00.000000Z', id: 'dcl_1' } }),
    ).toThrow(BadRequestException);
  });

  it('writes nothing when the act of its transaction fails', async () => {
    const before = (await repository.findPage({ limit: 50 })).length;
    await expect(
      database.db.transaction(async (tx) => {
        await repository.append(ACTS[5], tx);
        throw new Error('the act failed');
      }),
    ).rejects.toThrow('the act failed');
    expect(await repository.findPage({ limit: 50 })).toHaveLength(before);
  });

  it('takes the act down with it when the entry cannot be written', async () => {
    const key = {
      id: 'key_rolled_back',
      name: 'never',
      role: 'viewer',
      keyHash: 'hash-never',
      keyPrefix: 'tk_never0',
      createdAt: new Date(),
    };
    const broken = { ...ACTS[1], actor: { ...ADMIN, name: null as unknown as string } };
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(apiKeys).values(key);
        await repository.append(broken, tx);
      }),
    ).rejects.toThrow();
    expect(await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id))).toEqual([]);
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const before = await repository.findPage({ limit: 50 });
    expect(
      await refusal(
        database.db.update(auditLog).set({ actorName: 'someone else' }).where(eq(auditLog.id, before[0].id)),
      ),
    ).toContain('audit_log is append-only: UPDATE is refused');
    expect(await refusal(database.db.delete(auditLog).where(eq(auditLog.id, before[0].id)))).toContain(
      'audit_log is append-only: DELETE is refused',
    );
    expect(await refusal(database.db.delete(auditLog))).toContain(
      'audit_log is append-only: DELETE is refused',
    );
    expect(await refusal(database.db.execute(sql`truncate audit_log`))).toContain(
      'audit_log is append-only: TRUNCATE is refused',
    );
    expect(await repository.findPage({ limit: 50 })).toEqual(before);
  });
});
