import type { Database } from '@tocsin/database';
import { tables } from '@tocsin/database';
import { LevelChangedEvent, OutboxRepository } from '@tocsin/declarations';
import { BUILTIN_SCHEMES, seedBuiltinSchemes } from '@tocsin/schemes';

/**
 * What a delivery needs to refer to: the built-in schemes, declaration `dcl_1` of `event` and `event` in the
 * outbox, written at `at`. Answers the outbox's repository, which DeliveriesRepository reads payloads through.
 */
export async function seedDeclaredEvent(
  db: Database,
  event: LevelChangedEvent,
  at: Date,
): Promise<OutboxRepository> {
  await seedBuiltinSchemes(db, BUILTIN_SCHEMES);
  const { declaration } = event.data;
  await db.insert(tables.declarations).values({
    id: 'dcl_1',
    schemeId: 'kz-terror',
    levelCode: 'red',
    headline: declaration.headline,
    summary: declaration.summary,
    measures: declaration.measures,
    authority: declaration.authority,
    effectiveAt: at,
    createdAt: at,
    createdBy: 'key_1',
    createdByName: 'duty desk',
  });
  const outbox = new OutboxRepository(db);
  await db.transaction((tx) =>
    outbox.append(tx, [
      { eventId: event.data.eventId, declarationId: 'dcl_1', cause: 'declared', dueAt: at, payload: event },
    ]),
  );
  return outbox;
}
