import { Declaration } from './declaration';
import { buildLevelChangedEvent } from './level-changed-event';

const RED = { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' };

const declaration: Declaration = {
  id: 'dcl_1',
  status: 'active',
  schemeId: 'kz-terror',
  level: RED,
  areaCodes: ['KZ'],
  headline: 'Critical (red) terrorism threat level',
  summary: 'Repeat attacks are possible.',
  measures: ['People may be searched.'],
  language: 'en',
  translations: {
    ru: { headline: 'Критический («красный») уровень', summary: 'Возможны повторные теракты.' },
    kk: { headline: 'Қызыл деңгей', measures: ['Азаматтарды тексеру мүмкін.'] },
  },
  authority: 'Anti-Terrorist Centre',
  sourceUrl: null,
  effectiveAt: new Date('2022-01-07T09:00:00Z'),
  expiresAt: null,
  createdAt: new Date('2022-01-07T09:00:00Z'),
  createdBy: 'duty desk',
  cancelledAt: null,
  cancelledBy: null,
  cancelReason: null,
};

describe('buildLevelChangedEvent', () => {
  it("carries the declaration's language and every translation as given", () => {
    const event = buildLevelChangedEvent('evt_1', 'declared', declaration.effectiveAt, declaration, [
      {
        areaCode: 'KZ',
        previous: null,
        current: {
          areaCode: 'KZ',
          schemeId: 'kz-terror',
          level: RED,
          declarationId: 'dcl_1',
          source: 'KZ',
          since: declaration.effectiveAt,
          until: null,
        },
        sequence: 1,
      },
    ]);
    expect(event.data.declaration).toEqual({
      id: 'dcl_1',
      scheme: 'kz-terror',
      level: RED,
      headline: declaration.headline,
      summary: declaration.summary,
      measures: declaration.measures,
      language: 'en',
      translations: declaration.translations,
      authority: 'Anti-Terrorist Centre',
      sourceUrl: null,
      effectiveAt: '2022-01-07T09:00:00.000Z',
      expiresAt: null,
      origin: null,
      mode: 'actual',
      approval: null,
    });
    expect(event.type).toBe('threat_level.changed');
    // The payload is stored as jsonb and sent as JSON: it must survive the round trip unchanged.
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it.each(['exercise', 'test'] as const)(
    'types the event of a %s threat_level.exercise and carries its mode',
    (mode) => {
      const event = buildLevelChangedEvent(
        'evt_2',
        'declared',
        declaration.effectiveAt,
        { ...declaration, mode },
        [],
      );
      expect(event.type).toBe('threat_level.exercise');
      expect(event.data.declaration.mode).toBe(mode);
    },
  );

  it('carries an approval given, and reads a declaration without mode as actual', () => {
    const approved = buildLevelChangedEvent(
      'evt_3',
      'declared',
      declaration.effectiveAt,
      {
        ...declaration,
        approval: 'urgent',
      },
      [],
    );
    expect(approved.data.declaration).toMatchObject({ mode: 'actual', approval: 'urgent' });
    expect(approved.type).toBe('threat_level.changed');
  });
});
