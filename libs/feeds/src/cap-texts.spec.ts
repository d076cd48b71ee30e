import type { Area } from '@tocsin/areas';
import type { Declaration } from '@tocsin/declarations';
import { BUILTIN_SCHEMES } from '@tocsin/schemes';
import { create } from 'xmlbuilder2';
import { capSchemaProblems } from '@tocsin/ingest';
import { renderCap } from './cap';
import { capTexts } from './cap-texts';

const KZ_TERROR = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror')!;
const KAZAKHSTAN: Area = { code: 'KZ', name: 'Kazakhstan', type: 'country', parent: null };
const ALMATY: Area = { code: 'KZ-75', name: 'Almaty', type: 'subdivision', parent: 'KZ' };

const declaration: Declaration = {
  id: 'dcl_0190d7e4-0000-7000-8000-000000000001',
  status: 'active',
  schemeId: 'kz-terror',
  level: { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' },
  areaCodes: ['KZ', 'KZ-75'],
  headline: 'Critical (red) terrorism threat level',
  summary: 'Repeat attacks are possible.',
  measures: ['People may be searched.', 'Movement may be restricted.'],
  language: 'en',
  translations: {
    ru: {
      headline: 'Критический («красный») уровень террористической опасности',
      summary: 'Возможны повторные теракты.',
      measures: ['Возможен досмотр граждан.', 'Возможно ограничение движения.'],
    },
    // A Kazakh headline only: its summary and measures are the original's.
    kk: { headline: 'Террористік қауіптің «қызыл» деңгейі' },
  },
  authority: 'Anti-Terrorist Centre',
  sourceUrl: null,
  effectiveAt: new Date('2022-01-06T18:00:00Z'),
  expiresAt: new Date('2022-01-13T06:00:00Z'),
  createdAt: new Date('2022-01-06T17:59:30Z'),
  createdBy: 'duty desk',
  cancelledAt: null,
  cancelledBy: null,
  cancelReason: null,
};

/** Each `info` block as the element names and texts a reader takes from it. */
function infosOf(xml: string): Record<string, string | string[]>[] {
  const infos: Record<string, string | string[]>[] = [];
  create(xml)
    .root()
    .each(
      (node) => {
        if (node.node.nodeName !== 'info') return;
        const info: Record<string, string | string[]> = { areaDesc: [], parameters: [] };
        node.each(
          (child) => {
            const name = child.node.nodeName;
            const text = child.node.textContent ?? '';
            if (name === 'areaDesc') (info.areaDesc as string[]).push(text);
            else if (name === 'parameter') (info.parameters as string[]).push(text);
            else if (['language', 'event', 'headline', 'description', 'instruction'].includes(name))
              info[name] = text;
          },
          true,
          true,
        );
        infos.push(info);
      },
      true,
      true,
    );
  return infos;
}

describe('capTexts', () => {
  const render = () =>
    renderCap(declaration, {
      sender: 'tocsin@alerts.example.org',
      web: 'https://alerts.example.org/v1/declarations/dcl_0190d7e4-0000-7000-8000-000000000001',
      severity: 'Extreme',
      areas: [KAZAKHSTAN, ALMATY],
      supersedes: [],
      texts: capTexts(declaration, KZ_TERROR, [KAZAKHSTAN, ALMATY]),
    });

  it('gives a declaration in en, ru and kk three info blocks that the CAP 1.2 schema accepts', async () => {
    const xml = render();
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
    expect(infosOf(xml).map((info) => info.language)).toEqual(['en', 'kk', 'ru']);
  });

  it("writes each block in its language: texts, and the scheme's and areas' names where they have them", () => {
    const [english, kazakh, russian] = infosOf(render());
    expect(english).toEqual({
      language: 'en',
      event: 'terrorism threat level',
      headline: 'Critical (red) terrorism threat level',
      description: 'Repeat attacks are possible.',
      instruction: 'People may be searched.\nMovement may be restricted.',
      areaDesc: ['Kazakhstan', 'Almaty'],
      parameters: ['tocsin:schemekz-terror', 'tocsin:levelred', 'tocsin:rank3', 'tocsin:levelNameCritical'],
    });
    expect(russian).toMatchObject({
      event: 'уровень террористической опасности',
      headline: 'Критический («красный») уровень террористической опасности',
      description: 'Возможны повторные теракты.',
      instruction: 'Возможен досмотр граждан.\nВозможно ограничение движения.',
      areaDesc: ['Казахстан', 'Алматы'],
    });
    expect(russian.parameters).toContain('tocsin:levelNameкритический («красный»)');
    expect(kazakh.parameters).toContain('tocsin:levelNameқатерлі («қызыл»)');
    expect(kazakh).toMatchObject({
      event: 'террористік қауіп деңгейі',
      headline: 'Террористік қауіптің «қызыл» деңгейі',
      description: 'Repeat attacks are possible.',
      instruction: 'People may be searched.\nMovement may be restricted.',
      areaDesc: ['Қазақстан', 'Алматы'],
    });
  });

  it('puts the original language first whatever it is', () => {
    const texts = capTexts(
      {
        ...declaration,
        language: 'kk',
        translations: { en: { headline: 'Red' }, ru: { headline: 'Красный' } },
      },
      KZ_TERROR,
      [KAZAKHSTAN],
    );
    expect(texts.map((t) => [t.language, t.headline])).toEqual([
      ['kk', 'Critical (red) terrorism threat level'],
      ['en', 'Red'],
      ['ru', 'Красный'],
    ]);
  });

  it('gives a declaration without translations one block', () => {
    expect(capTexts({ ...declaration, translations: {} }, KZ_TERROR, [KAZAKHSTAN])).toHaveLength(1);
  });
});
