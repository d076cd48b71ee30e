// Names in a reader's language over HTTP: ?lang= on areas and levels, scheme translations as stored and
// echoed, and a ?lang= or translation that is no BCP 47 tag refused with nothing changed.
import { tables } from '@tocsin/database';
import { sql } from 'drizzle-orm';
import { startTestApp, TestApp } from './support/test-app';

const declaration = {
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ-75', 'KZ-19'],
  headline: 'Critical level in Almaty',
  summary: 'Summary.',
  authority: 'Anti-Terrorist Centre',
};

const customScheme = {
  id: 'acme-alert',
  name: 'ACME alert levels',
  event: 'site alert level',
  description: 'Internal.',
  authority: 'ACME security desk',
  translations: { 'RU-ru': { name: 'Уровни тревоги ACME', event: 'уровень тревоги' } },
  levels: [
    {
      code: 'low',
      rank: 1,
      name: 'Low',
      color: '#388e3c',
      description: 'Normal.',
      measures: ['Carry on.'],
      capSeverity: 'Minor',
      translations: { kk: { name: 'Төмен', measures: ['Жұмысты жалғастырыңыз.'] } },
    },
    {
      code: 'high',
      rank: 2,
      name: 'High',
      color: '#d32f2f',
      description: 'Alert.',
      measures: ['Stay in.'],
      capSeverity: 'Extreme',
    },
  ],
};

async function counts(test: TestApp): Promise<number[]> {
  const result: number[] = [];
  for (const table of [tables.declarations, tables.schemes, tables.schemeLevels]) {
    const [row] = await test.db.select({ n: sql<number>`count(*)::int` }).from(table);
    result.push(row.n);
  }
  return result;
}

describe('names in a language', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp('postgres');
    await test.http.post('/v1/declarations').set(test.as()).send(declaration).expect(201);
  });
  afterAll(() => test?.close());

  it.each([
    ['ru', 'Казахстан', 'Алматы', 'Алматинская область'],
    ['kk', 'Қазақстан', 'Алматы', 'Алматы облысы'],
    ['ru-RU', 'Казахстан', 'Алматы', 'Алматинская область'],
    ['en', 'Kazakhstan', 'Almaty', 'Almaty Region'],
    ['fr', 'Kazakhstan', 'Almaty', 'Almaty Region'],
  ])(
    'GET /v1/areas?country=KZ&lang=%s names Kazakhstan and its areas in it',
    async (lang, kz, city, region) => {
      const { body } = await test.http.get(`/v1/areas?country=KZ&lang=${lang}`).expect(200);
      const names = new Map(body.items.map((a: { code: string; name: string }) => [a.code, a.name]));
      expect([names.get('KZ'), names.get('KZ-75'), names.get('KZ-19')]).toEqual([kz, city, region]);
    },
  );

  it('GET /v1/areas/KZ-33?lang=… names the 2022 Jetisu Region in Kazakh and Russian, with every name', async () => {
    expect((await test.http.get('/v1/areas/KZ-33?lang=kk').expect(200)).body).toMatchObject({
      code: 'KZ-33',
      name: 'Жетісу облысы',
      names: { en: 'Jetisu Region', kk: 'Жетісу облысы', ru: 'область Жетісу' },
    });
    expect((await test.http.get('/v1/areas/kz-ala?lang=ru').expect(200)).body.name).toBe('Алматы');
    expect((await test.http.get('/v1/areas/KZ').expect(200)).body.name).toBe('Kazakhstan');
  });

  it('GET /v1/levels?lang= names the areas in that language, with an ETag per representation', async () => {
    const en = await test.http.get('/v1/levels').expect(200);
    const ru = await test.http.get('/v1/levels?lang=ru').expect(200);
    const kk = await test.http.get('/v1/levels?lang=kk').expect(200);
    const almaty = (body: { items: { area: { code: string; name: string } }[] }) =>
      body.items.find((item) => item.area.code === 'KZ-75')?.area.name;
    expect([almaty(en.body), almaty(ru.body), almaty(kk.body)]).toEqual(['Almaty', 'Алматы', 'Алматы']);
    // Almaty is Алматы in both; Almaty Region tells the Kazakh and Russian bodies (and so their ETags) apart.
    expect(new Set([en.headers.etag, ru.headers.etag, kk.headers.etag]).size).toBe(3);
    // The cached rendering for ru answers again, and its own ETag makes a conditional GET a 304.
    const again = await test.http.get('/v1/levels?lang=ru-RU').expect(200);
    expect(again.headers.etag).toBe(ru.headers.etag);
    await test.http.get('/v1/levels?lang=ru').set('if-none-match', ru.headers.etag).expect(304);
    await test.http.get('/v1/levels?lang=kk').set('if-none-match', ru.headers.etag).expect(200);
    const csv = await test.http.get('/v1/levels?lang=ru').set('accept', 'text/csv').expect(200);
    expect(csv.text).toContain('Алматы');
    expect(csv.headers.etag).not.toBe(ru.headers.etag);
  });

  it('GET /v1/levels/KZ?lang=kk names the country and its subdivisions in Kazakh; history too', async () => {
    const { body } = await test.http.get('/v1/levels/KZ?lang=kk').expect(200);
    expect(body.area.name).toBe('Қазақстан');
    expect(body.subdivisions.map((s: { area: { name: string } }) => s.area.name)).toEqual([
      'Алматы облысы',
      'Алматы',
    ]);
    const history = await test.http.get('/v1/levels/KZ-75/history?lang=ru').expect(200);
    expect(history.body.items[0].area.name).toBe('Алматы');
  });

  it.each([
    ['/v1/areas?lang=en_US'],
    ['/v1/areas/KZ?lang=en_US'],
    ['/v1/levels?lang=en_US'],
    ['/v1/levels/KZ?lang=*'],
    ['/v1/levels/KZ/history?lang=%D1%80%D1%83'],
    ['/v1/levels?lang='],
  ])('GET %s is a 400 problem naming lang', async (path) => {
    const response = await test.http.get(path).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([
      { field: 'lang', message: 'must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS' },
    ]);
  });

  it('gives the built-in kz-terror its Russian and Kazakh level names', async () => {
    const { body } = await test.http.get('/v1/schemes/kz-terror').expect(200);
    expect(body.translations.ru.event).toBe('уровень террористической опасности');
    expect(
      body.levels.map((l: { translations: Record<string, { name: string }> }) => l.translations.ru.name),
    ).toEqual(['умеренный («желтый»)', 'высокий («оранжевый»)', 'критический («красный»)']);
  });

  it('round-trips the translations of a custom scheme: created, echoed, patched by language, dropped', async () => {
    const created = await test.http.post('/v1/schemes').set(test.as()).send(customScheme).expect(201);
    expect(created.body.translations).toEqual({
      'ru-RU': { name: 'Уровни тревоги ACME', event: 'уровень тревоги' },
    });
    expect(created.body.levels.map((l: { translations: unknown }) => l.translations)).toEqual([
      { kk: { name: 'Төмен', measures: ['Жұмысты жалғастырыңыз.'] } },
      {},
    ]);

    const patched = await test.http
      .patch('/v1/schemes/acme-alert')
      .set(test.as())
      .send({
        translations: { kk: { name: 'ACME дабыл деңгейлері' } },
        levels: [{ code: 'low', translations: { kk: null, ru: { name: 'Низкий' } } }],
      })
      .expect(200);
    expect(patched.body.translations).toEqual({
      'ru-RU': { name: 'Уровни тревоги ACME', event: 'уровень тревоги' },
      kk: { name: 'ACME дабыл деңгейлері' },
    });
    expect(patched.body.levels[0].translations).toEqual({ ru: { name: 'Низкий' } });
    expect((await test.http.get('/v1/schemes/acme-alert').expect(200)).body).toEqual(patched.body);
  });

  it.each([
    [
      'a key that is no tag',
      'post',
      { ...customScheme, id: 'acme-2', translations: { ru_RU: { name: 'x' } } },
    ],
    [
      'a field a translation has not',
      'post',
      { ...customScheme, id: 'acme-3', translations: { ru: { name: 'x', authority: 'y' } } },
    ],
    [
      'a level key that is no tag',
      'patch',
      { levels: [{ code: 'low', translations: { 'e n': { name: 'x' } } }] },
    ],
    ['a name too long', 'patch', { translations: { ru: { name: 'x'.repeat(201) } } }],
  ])('refuses %s with a 400, changing nothing', async (_case, method, body) => {
    const before = await counts(test);
    const scheme = (await test.http.get('/v1/schemes/acme-alert').expect(200)).body;
    const path = method === 'post' ? '/v1/schemes' : '/v1/schemes/acme-alert';
    const response = await test.http[method as 'post' | 'patch'](path).set(test.as()).send(body).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors[0].field).toMatch(/translations$/);
    expect(await counts(test)).toEqual(before);
    expect((await test.http.get('/v1/schemes/acme-alert').expect(200)).body).toEqual(scheme);
  });
});
