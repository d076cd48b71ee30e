import { findArea } from '@tocsin/areas';
import type { LevelList } from '@tocsin/declarations';
import { CSV_MEDIA_TYPE, strongEtag } from '@tocsin/feeds';
import { LevelListRenderings, renderLevelList } from './level-list-renderings';

const level = (areaCode: string) => ({
  areaCode,
  schemeId: 'kz-terror',
  level: { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' },
  declarationId: '0190a1b2-0000-7000-8000-000000000001',
  source: 'KZ',
  since: new Date('2022-01-05T12:00:00Z'),
  until: null,
});

const list = (): LevelList => ({
  at: new Date('2022-01-26T00:00:00Z'),
  items: ['KZ', 'KZ-75'].map((code) => ({ area: findArea(code)!, level: level(code) })),
  validUntil: null,
});

const namesIn = (body: Buffer) =>
  (JSON.parse(body.toString('utf8')) as { items: { area: { name: string } }[] }).items.map(
    (i) => i.area.name,
  );

describe('renderLevelList', () => {
  it.each([
    ['en', ['Kazakhstan', 'Almaty']],
    ['ru', ['Казахстан', 'Алматы']],
    ['kk', ['Қазақстан', 'Алматы']],
  ])('names the areas in %s', (lang, names) => {
    expect(namesIn(renderLevelList(list(), 'application/json', lang).body)).toEqual(names);
  });

  it('names the areas in the CSV too', () => {
    expect(renderLevelList(list(), CSV_MEDIA_TYPE, 'ru').body.toString('utf8')).toContain('Казахстан');
  });

  it('tags the bytes it sends: the ETag is that of the UTF-8 body', () => {
    const rendered = renderLevelList(list(), 'application/json', 'kk');
    expect(rendered.etag).toBe(strongEtag(rendered.body.toString('utf8')));
    expect(rendered.contentType).toBe('application/json; charset=utf-8');
  });
});

describe('LevelListRenderings', () => {
  it('renders once per list, media type and language of names, each with its own ETag', () => {
    const renderings = new LevelListRenderings();
    const current = list();
    const en = renderings.of(current, 'application/json');
    const ru = renderings.of(current, 'application/json', 'ru');
    const kk = renderings.of(current, 'application/json', 'kk');
    const ruCsv = renderings.of(current, CSV_MEDIA_TYPE, 'ru');
    expect(new Set([en.etag, ru.etag, kk.etag, ruCsv.etag]).size).toBe(4);
    expect(renderings.of(current, 'application/json', 'ru')).toBe(ru);
    expect(renderings.of(current, 'application/json', 'en')).toBe(en);
  });

  it('shares a rendering between tags of one language, and gives a language without names English', () => {
    const renderings = new LevelListRenderings();
    const current = list();
    expect(renderings.of(current, 'application/json', 'ru-RU')).toBe(
      renderings.of(current, 'application/json', 'ru'),
    );
    expect(renderings.of(current, 'application/json', 'fr')).toBe(renderings.of(current, 'application/json'));
  });

  it('renders a new list afresh', () => {
    const renderings = new LevelListRenderings();
    const first = renderings.of(list(), 'application/json', 'ru');
    expect(renderings.of(list(), 'application/json', 'ru')).not.toBe(first);
  });
});
