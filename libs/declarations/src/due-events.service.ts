import { Injectable } from '@nestjs/common';
import { changedAreas } from './changed-areas';
import { DeclarationsRepository } from './declarations.repository';
import { AreaChange, buildLevelChangedEvent, LevelChangedEvent } from './level-changed-event';
import { OutboxRepository } from './outbox.repository';

export type DueEventOutcome =
  { kind: 'ready'; event: LevelChangedEvent } | { kind: 'skipped'; reason: string };

/**
 * Renders an event that was written ahead of time (a scheduled start, an expiry) when it falls due: what it
 * changes depends on what happened meanwhile, so previous and current levels are worked out at its instant.
 */
@Injectable()
export class DueEventsService {
  constructor(
    private readonly declarations: DeclarationsRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async render(eventId: string): Promise<DueEventOutcome> {
    return this.declarations.inLevelWriteTransaction(async (tx) => {
      const entry = await this.outbox.lock(tx, eventId);
      if (!entry) return { kind: 'skipped', reason: 'no such event' };
      if (entry.payload) return { kind: 'ready', event: entry.payload };
      if (entry.skippedReason) return { kind: 'skipped', reason: entry.skippedReason };
      const skip = async (reason: string): Promise<DueEventOutcome> => {
        await this.outbox.skip(tx, eventId, reason);
        return { kind: 'skipped', reason };
      };

      const declaration = await this.declarations.findById(entry.declarationId, entry.dueAt, tx);
      if (!declaration) return skip('the declaration is gone');
      const scope = [...new Set(declaration.areaCodes.flatMap((code) => [code, code.slice(0, 2)]))];
      // An exercise's start or end is worked out against the actual levels, as if it were actual.
      const timeline = await this.declarations.timelineOf(
        tx,
        scope,
        declaration.schemeId,
        (declaration.mode ?? 'actual') === 'actual' ? undefined : declaration.id,
      );
      // An exercise overlays the actual levels: its start is worked out from them, its end returns to them.
      const exercise = (declaration.mode ?? 'actual') !== 'actual';
      const withoutIt = timeline.filter((e) => e.declarationId !== declaration.id);
      const changed = changedAreas(
        declaration.areaCodes,
        declaration.schemeId,
        {
          entries: exercise && entry.cause === 'declared' ? withoutIt : timeline,
          at: new Date(entry.dueAt.getTime() - 1),
        },
        { entries: exercise && entry.cause === 'expired' ? withoutIt : timeline, at: entry.dueAt },
      );
      if (!changed.length) return skip('no level changed at its time (superseded or cancelled meanwhile)');

      const sequences = await this.declarations.nextSequences(
        tx,
        declaration.schemeId,
        changed.map((c) => c.areaCode),
      );
      const changes: AreaChange[] = changed.map((c) => ({ ...c, sequence: sequences.get(c.areaCode)! }));
      const event = buildLevelChangedEvent(eventId, entry.cause, entry.dueAt, declaration, changes);
      await this.outbox.setPayload(tx, eventId, event);
      return { kind: 'ready', event };
    });
  }
}
