import { tables } from '@tocsin/database';
import { DATABASE_DRIVERS } from '@tocsin/database/testing';
import { JANUARY_2022_STEPS } from './support/kazakhstan-2022';
import { createKey, startTestApp, TestApp } from './support/test-app';

// January 2022 in Kazakhstan (see support/kazakhstan-2022.ts), replayed through the API as a publisher
// records it after the fact.
const KZ_AREAS = [
  'KZ',
  'KZ-10',
  'KZ-11',
  'KZ-15',
  'KZ-19',
  'KZ-23',
  'KZ-27',
  'KZ-31',
  'KZ-33',
  'KZ-35',
  'KZ-39',
  'KZ-43',
  'KZ-47',
  'KZ-55',
  'KZ-59',
  'KZ-61',
  'KZ-62',
  'KZ-63',
  'KZ-71',
  'KZ-75',
  'KZ-79',
];
const everywhere = (code: string | null) => Object.fromEntries(KZ_AREAS.map((area) => [area, code]));
const CHECKPOINTS: [string, Record<string, string | null>][] = [
  ['2022-01-06T23:59:59+06:00', everywhere(null)],
  ['2022-01-07T00:00:00+06:00', everywhere('red')],
  ['2022-01-13T11:59:59+06:00', everywhere('red')],
  [
    '2022-01-13T12:00:00+06:00',
    {
      ...everywhere(null),
      'KZ-75': 'red',
      'KZ-19': 'red',
      'KZ-31': 'red',
      'KZ-71': 'orange',
      'KZ-79': 'yellow',
      'KZ-61': 'yellow',
      'KZ-15': 'yellow',
      'KZ-47': 'yellow',
      'KZ-23': 'yellow',
    },
  ],
  [
    '2022-01-23T12:00:00+06:00',
    {
      ...everywhere(null),
      'KZ-75': 'red',
      'KZ-19': 'red',
      'KZ-31': 'red',
      'KZ-71': 'orange',
      'KZ-15': 'yellow',
      'KZ-47': 'yellow',
      'KZ-23': 'yellow',
    },
  ],
  [
    '2022-01-26T00:00:01+06:00',
    {
      ...everywhere(null),
      'KZ-75': 'orange',
      'KZ-19': 'orange',
      'KZ-31': 'orange',
      'KZ-71': 'orange',
      'KZ-15': 'yellow',
      'KZ-47': 'yellow',
      'KZ-23': 'yellow',
    },
  ],
  [
    '2022-01-28T00:00:00+06:00',
    { ...everywhere(null), 'KZ-75': 'orange', 'KZ-19': 'orange', 'KZ-31': 'orange', 'KZ-23': 'yellow' },
  ],
];

describe.each(DATABASE_DRIVERS)('the January 2022 Kazakhstan sequence on %s', (driver) => {
  let test: TestApp;
  let publisher: string;
  const ids: string[] = [];

  beforeAll(async () => {
    test = await startTestApp(driver);
    publisher = await createKey(test, 'publisher', 'KNB duty desk');
    for (const step of JANUARY_2022_STEPS) {
      const response = await test.http
        .post('/v1/declarations')
        .set(test.as(publisher))
        .send({
          ...step,
          headline: `${step.level} for ${step.areas.join(', ')}`,
          summary: 'Recorded after the fact.',
          authority: 'Anti-Terrorist Centre',
        })
        .expect(201);
      ids.push(response.body.id);
    }
  });
  afterAll(() => test?.close());

  it.each(CHECKPOINTS)('at %s every Kazakh area has the level it had', async (at, expected) => {
    const actual: Record<string, string | null> = {};
    for (const area of KZ_AREAS) {
      const response = await test.http.get(`/v1/levels/${area}`).query({ at }).expect(200);
      const levels = response.body.levels.filter((l: { scheme: string }) => l.scheme === 'kz-terror');
      expect(levels.length).toBeLessThanOrEqual(1);
      actual[area] = levels[0]?.level.code ?? null;
    }
    expect(actual).toEqual(expected);
  });

  it('shows Almaty city orange one second after 00:00 on 26 January, from its own declaration', async () => {
    const response = await test.http.get('/v1/levels/KZ-75?at=2022-01-26T00:00:01%2B06:00').expect(200);
    expect(response.body.area).toEqual({ code: 'KZ-75', name: 'Almaty', type: 'subdivision', parent: 'KZ' });
    expect(response.body.levels).toEqual([
      {
        area: { code: 'KZ-75', name: 'Almaty', type: 'subdivision', parent: 'KZ' },
        scheme: 'kz-terror',
        level: { code: 'orange', rank: 2, name: 'High', color: '#f57c00' },
        declarationId: ids[2],
        source: 'KZ-75',
        since: '2022-01-25T18:00:00.000Z',
        until: null,
      },
    ]);
  });

  it('says a region under the countrywide red takes it from the country declaration', async () => {
    const response = await test.http
      .get('/v1/levels/KZ-55')
      .query({ at: '2022-01-08T00:00:00+06:00' })
      .expect(200);
    expect(response.body.levels[0]).toMatchObject({
      source: 'KZ',
      declarationId: ids[0],
      until: '2022-01-13T06:00:00.000Z',
    });
  });

  it('lists, for the country, the subdivisions with levels of their own', async () => {
    const response = await test.http
      .get('/v1/levels/KZ')
      .query({ at: '2022-01-24T00:00:00+06:00' })
      .expect(200);
    expect(response.body.levels).toEqual([]);
    expect(response.body.subdivisions.map((s: { area: { code: string } }) => s.area.code)).toEqual([
      'KZ-15',
      'KZ-19',
      'KZ-23',
      'KZ-31',
      'KZ-47',
      'KZ-71',
      'KZ-75',
    ]);
  });

  it('lists every area with a level of its own as of an instant', async () => {
    const response = await test.http.get('/v1/levels').query({ at: '2022-01-14T00:00:00+06:00' }).expect(200);
    expect(
      response.body.items.map(
        (i: { area: { code: string }; level: { code: string } }) => `${i.area.code}:${i.level.code}`,
      ),
    ).toEqual([
      'KZ-15:yellow',
      'KZ-19:red',
      'KZ-23:yellow',
      'KZ-31:red',
      'KZ-47:yellow',
      'KZ-61:yellow',
      'KZ-71:orange',
      'KZ-75:red',
      'KZ-79:yellow',
    ]);
  });

  it('keeps the history of Almaty city, newest first, saying who declared what', async () => {
    const response = await test.http.get('/v1/levels/KZ-75/history').expect(200);
    expect(
      response.body.items.map(
        (c: {
          at: string;
          cause: string;
          current: { code: string } | null;
          direction: string;
          by: string;
        }) => [c.at, c.cause, c.current?.code ?? null, c.direction, c.by],
      ),
    ).toEqual([
      ['2022-01-25T18:00:00.000Z', 'declared', 'orange', 'deescalated', 'KNB duty desk'],
      ['2022-01-13T06:00:00.000Z', 'declared', 'red', 'unchanged', 'KNB duty desk'],
      ['2022-01-06T18:00:00.000Z', 'declared', 'red', 'escalated', 'KNB duty desk'],
    ]);
    expect(response.body.nextCursor).toBeNull();
  });

  it('pages the history of Pavlodar with a cursor', async () => {
    const first = await test.http.get('/v1/levels/KZ-55/history?limit=1').expect(200);
    expect(first.body.items.map((c: { cause: string }) => c.cause)).toEqual(['expired']);
    const second = await test.http
      .get(`/v1/levels/KZ-55/history?limit=1&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.items.map((c: { cause: string }) => c.cause)).toEqual(['declared']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('stores old codes as current ones', async () => {
    const response = await test.http.get(`/v1/declarations/${ids[1]}`).expect(200);
    expect(response.body.areas.map((a: { code: string }) => a.code)).toEqual(['KZ-19', 'KZ-31', 'KZ-75']);
  });

  it('gives each declaration its status today', async () => {
    const statuses = await Promise.all(
      ids.map(async (id) => (await test.http.get(`/v1/declarations/${id}`).expect(200)).body.status),
    );
    expect(statuses).toEqual(['expired', 'superseded', 'active', 'expired', 'expired', 'expired', 'active']);
  });

  it('announces nothing for history recorded after the fact, except what is still in force', async () => {
    const events = await test.db.select().from(tables.outbox);
    // Only the two declarations still in force (orange in the south, yellow in Atyrau) change a level now.
    expect(events.map((e) => [e.declarationId, e.cause]).sort()).toEqual(
      [
        [ids[2], 'declared'],
        [ids[6], 'declared'],
      ].sort(),
    );
  });
});
