import { findArea } from '@tocsin/areas';
import type { LevelChangedEvent } from '@tocsin/declarations';

export const RED = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };

/** A `threat_level.changed` event of declaration `dcl_1` raising `areaCodes` to red in kz-terror. */
export function levelChangedEvent(eventId: string, areaCodes: string[] = ['KZ']): LevelChangedEvent {
  return {
    type: 'threat_level.changed',
    timestamp: '2022-01-07T09:00:00.000Z',
    data: {
      eventId,
      cause: 'declared',
      declaration: {
        id: 'dcl_1',
        scheme: 'kz-terror',
        level: RED,
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
        current: { ...RED, declarationId: 'dcl_1' },
        direction: 'escalated',
        sequence: i + 1,
      })),
    },
  };
}
