// Pure: the `threat_level.changed` event as DESIGN.md ("Alerts") shapes it. Receivers de-duplicate on
// `eventId` and drop stale events with `sequence`. An exercise's or test's event is `threat_level.exercise`
// (DESIGN.md §5.4): its changes say what it would change, were it actual.
import { findArea } from '@tocsin/areas';
import { ChangedArea } from './changed-areas';
import {
  ApprovalState,
  Declaration,
  DeclarationMode,
  DeclarationOrigin,
  DeclarationTranslations,
} from './declaration';
import { ChangeCause, Direction, directionOf, EffectiveLevel, LevelRef } from './effective-level';

/** A changed area with its place in the (area, scheme) sequence. */
export interface AreaChange extends ChangedArea {
  sequence: number;
}

export const EVENT_TYPES = ['threat_level.changed', 'threat_level.exercise'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The payload type of a declaration's events: only an actual one announces a changed level. */
export const eventTypeOf = (mode: DeclarationMode): EventType =>
  mode === 'actual' ? 'threat_level.changed' : 'threat_level.exercise';

export interface LevelChangedEvent {
  type: EventType;
  timestamp: string;
  data: {
    eventId: string;
    cause: ChangeCause;
    declaration: {
      id: string;
      scheme: string;
      level: LevelRef;
      headline: string;
      summary: string;
      measures: string[];
      /** BCP 47 tag of headline, summary and measures. */
      language: string;
      /** The same texts in other languages, by tag; a field left out is the original's. */
      translations: DeclarationTranslations;
      authority: string;
      sourceUrl: string | null;
      effectiveAt: string;
      expiresAt: string | null;
      /** Where an imported declaration came from (a source and its CAP document); null when typed in. */
      origin?: DeclarationOrigin | null;
      /** actual | exercise | test; absent in events written before governance (read as actual). */
      mode?: DeclarationMode;
      /** null when no approval was needed; approved or urgent (an admin skipped it) otherwise. */
      approval?: ApprovalState | null;
    };
    changes: {
      area: { code: string; name: string };
      scheme: string;
      previous: ChangedLevel | null;
      current: ChangedLevel | null;
      direction: Direction;
      sequence: number;
    }[];
  };
}

/** A level in a change, with the declaration it comes from. */
export interface ChangedLevel extends LevelRef {
  declarationId: string;
}

const levelOf = (level: EffectiveLevel | null): ChangedLevel | null =>
  level ? { ...level.level, declarationId: level.declarationId } : null;

export function buildLevelChangedEvent(
  eventId: string,
  cause: ChangeCause,
  at: Date,
  declaration: Declaration,
  changes: AreaChange[],
): LevelChangedEvent {
  return {
    type: eventTypeOf(declaration.mode ?? 'actual'),
    timestamp: at.toISOString(),
    data: {
      eventId,
      cause,
      declaration: {
        id: declaration.id,
        scheme: declaration.schemeId,
        level: declaration.level,
        headline: declaration.headline,
        summary: declaration.summary,
        measures: declaration.measures,
        language: declaration.language,
        translations: declaration.translations,
        authority: declaration.authority,
        sourceUrl: declaration.sourceUrl,
        effectiveAt: declaration.effectiveAt.toISOString(),
        expiresAt: declaration.expiresAt?.toISOString() ?? null,
        origin: declaration.origin ?? null,
        mode: declaration.mode ?? 'actual',
        approval: declaration.approval ?? null,
      },
      changes: changes.map((change) => ({
        area: { code: change.areaCode, name: findArea(change.areaCode)?.name ?? change.areaCode },
        scheme: declaration.schemeId,
        previous: levelOf(change.previous),
        current: levelOf(change.current),
        direction: directionOf(change.previous?.level ?? null, change.current?.level ?? null),
        sequence: change.sequence,
      })),
    },
  };
}
