import { findArea } from '@tocsin/areas';
import type { LevelChangedEvent } from '@tocsin/declarations';
import type { AnnouncedEvent } from '../catch-up';

/** A `threat_level.changed` event raising `areaCodes` to red, as the relay would announce it at `position`. */
export function announcedEvent(position: number, areaCodes: string[] = ['KZ']): AnnouncedEvent {
  const red = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };
  const event: LevelChangedEvent = {
    type: 'threat_level.changed',
    timestamp: '2022-01-07T09:00:00.000Z',
    data: {
      eventId: `evt_${position}`,
      cause: 'declared',
      declaration: {
        id: `dcl_${position}`,
        scheme: 'kz-terror',
        level: red,
        headline: 'Critical terrorism threat level',
        summary: 'Repeat attacks are possible.',
        measures: ['Avoid crowds.'],
        language: 'en',
        translations: {},
        authority: 'Anti-Terrorist Centre',
        sourceUrl: null,
        effectiveAt: '2022-01-07T09:00:00.000Z',
        expiresAt: null,
      },
      changes: areaCodes.map((code, i) => ({
        area: { code, name: findArea(code)?.name ?? code },
        scheme: 'kz-terror',
        previous: null,
        current: { ...red, declarationId: `dcl_${position}` },
        direction: 'escalated',
        sequence: i + 1,
      })),
    },
  };
  return { position, event };
}
