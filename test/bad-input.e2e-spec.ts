import { tables } from '@tocsin/database';
import { sql } from 'drizzle-orm';
import { startTestApp, TestApp } from './support/test-app';

const valid = {
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ'],
  headline: 'Critical',
  summary: 'Summary.',
  authority: 'Anti-Terrorist Centre',
};

const customScheme = {
  id: 'acme-alert',
  name: 'ACME alert levels',
  event: 'site alert level',
  description: 'Internal.',
  authority: 'ACME security desk',
  levels: [
    {
      code: 'low',
      rank: 1,
      name: 'Low',
      color: '#388e3c',
      description: 'Normal.',
      measures: ['Carry on.'],
      capSeverity: 'Minor',
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

/** Row counts of every table: a rejected request must change none of them. */
async function snapshot(test: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries({
    declarations: tables.declarations,
    declarationAreas: tables.declarationAreas,
    outbox: tables.outbox,
    schemes: tables.schemes,
    schemeLevels: tables.schemeLevels,
    apiKeys: tables.apiKeys,
    areaSequences: tables.areaSequences,
    webhookEndpoints: tables.webhookEndpoints,
    emailSubscriptions: tables.emailSubscriptions,
  })) {
    const [row] = await test.db.select({ n: sql<number>`count(*)::int` }).from(table);
    counts[name] = row.n;
  }
  return counts;
}

describe('bad input on every write route', () => {
  let test: TestApp;
  let activeId: string;

  beforeAll(async () => {
    test = await startTestApp('postgres', { BODY_LIMIT_BYTES: '131072' });
    activeId = (await test.http.post('/v1/declarations').set(test.as()).send(valid).expect(201)).body.id;
    await test.http.post('/v1/schemes').set(test.as()).send(customScheme).expect(201);
  });
  afterAll(() => test?.close());

  const cases: [string, 'post' | 'patch' | 'delete', string | (() => string), unknown, number, RegExp][] = [
    [
      'unknown area',
      'post',
      '/v1/declarations',
      { ...valid, areas: ['KZ', 'XX', 'KZ-99'] },
      422,
      /Unknown area codes: "XX", "KZ-99"/,
    ],
    [
      'malformed area code',
      'post',
      '/v1/declarations',
      { ...valid, areas: ['Kazakhstan'] },
      400,
      /areas each must be an ISO 3166 code/,
    ],
    ['no areas', 'post', '/v1/declarations', { ...valid, areas: [] }, 400, /areas/],
    ['unknown scheme', 'post', '/v1/declarations', { ...valid, scheme: 'nope' }, 422, /no scheme "nope"/],
    [
      'unknown level',
      'post',
      '/v1/declarations',
      { ...valid, level: 'purple' },
      422,
      /no level "purple"; its levels are yellow, orange, red/,
    ],
    [
      'expiry before start',
      'post',
      '/v1/declarations',
      { ...valid, effectiveAt: '2022-01-10T00:00:00+06:00', expiresAt: '2022-01-09T00:00:00+06:00' },
      422,
      /expiresAt must be later than effectiveAt/,
    ],
    [
      'a date without time zone',
      'post',
      '/v1/declarations',
      { ...valid, effectiveAt: '2022-01-10T00:00:00' },
      400,
      /effectiveAt must be an ISO 8601 date-time with a time zone/,
    ],
    [
      'an impossible date',
      'post',
      '/v1/declarations',
      { ...valid, effectiveAt: '2022-02-30T00:00:00Z' },
      400,
      /effectiveAt/,
    ],
    ['a missing headline', 'post', '/v1/declarations', { ...valid, headline: undefined }, 400, /headline/],
    ['a blank headline', 'post', '/v1/declarations', { ...valid, headline: '   ' }, 400, /headline/],
    ['a wrong type', 'post', '/v1/declarations', { ...valid, measures: 'search vehicles' }, 400, /measures/],
    [
      'an unknown field',
      'post',
      '/v1/declarations',
      { ...valid, severity: 'Extreme' },
      400,
      /severity should not exist/,
    ],
    [
      'a source that is not a URL',
      'post',
      '/v1/declarations',
      { ...valid, sourceUrl: 'javascript:alert(1)' },
      400,
      /sourceUrl must be an http\(s\) URL/,
    ],
    ['an array body', 'post', '/v1/declarations', [valid], 400, /./],
    [
      'cancel of an unknown declaration',
      'post',
      '/v1/declarations/dcl_nope/cancel',
      {},
      404,
      /no declaration "dcl_nope"/,
    ],
    [
      'cancel with an unknown field',
      'post',
      () => `/v1/declarations/${activeId}/cancel`,
      { why: 'x' },
      400,
      /why should not exist/,
    ],
    [
      'a scheme with gaps in its ranks',
      'post',
      '/v1/schemes',
      {
        ...customScheme,
        id: 'gappy',
        levels: customScheme.levels.map((l, i) => ({ ...l, rank: i * 2 + 1 })),
      },
      422,
      /ranks must be 1, 2/,
    ],
    [
      'a scheme with duplicate codes',
      'post',
      '/v1/schemes',
      { ...customScheme, id: 'dupes', levels: customScheme.levels.map((l) => ({ ...l, code: 'same' })) },
      422,
      /codes must be unique/,
    ],
    ['a scheme id that is taken', 'post', '/v1/schemes', customScheme, 409, /already exists/],
    [
      'a scheme id with capitals',
      'post',
      '/v1/schemes',
      { ...customScheme, id: 'ACME' },
      400,
      /id must be lowercase/,
    ],
    [
      'a scheme with a bad colour',
      'post',
      '/v1/schemes',
      {
        ...customScheme,
        id: 'colours',
        levels: [{ ...customScheme.levels[0], color: 'red' }, customScheme.levels[1]],
      },
      400,
      /levels\.0\.color must be a colour/,
    ],
    [
      'a scheme with an unknown country',
      'post',
      '/v1/schemes',
      { ...customScheme, id: 'nowhere', country: 'XX' },
      422,
      /no country "XX"/,
    ],
    [
      'a level that the scheme lacks',
      'patch',
      '/v1/schemes/acme-alert',
      { levels: [{ code: 'purple', name: 'Purple' }] },
      422,
      /has no level "purple"/,
    ],
    [
      'a change of rank',
      'patch',
      '/v1/schemes/acme-alert',
      { levels: [{ code: 'low', rank: 5 }] },
      400,
      /rank should not exist/,
    ],
    ['an unknown scheme', 'patch', '/v1/schemes/nope', { name: 'x' }, 404, /no scheme "nope"/],
    ['an unknown role', 'post', '/v1/api-keys', { name: 'x', role: 'root' }, 400, /role must be one of/],
    ['a key without a name', 'post', '/v1/api-keys', { role: 'viewer' }, 400, /name/],
    ['revoking an unknown key', 'delete', '/v1/api-keys/key_nope', undefined, 404, /no API key "key_nope"/],
  ];

  it.each(cases)(
    'answers %s with a problem and changes nothing',
    async (_name, method, path, payload, status, detail) => {
      const before = await snapshot(test);
      const url = typeof path === 'function' ? path() : path;
      const call = test.http[method](url).set(test.as());
      const response = await (payload === undefined ? call : call.send(payload as object)).expect(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
      expect(response.body.detail).toMatch(detail);
      expect(await snapshot(test)).toEqual(before);
    },
  );

  it('lists each bad field in `errors`', async () => {
    const response = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({ ...valid, headline: '', areas: 'KZ' })
      .expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      expect.arrayContaining(['areas', 'headline']),
    );
  });

  it('answers malformed JSON with 400 and changes nothing', async () => {
    const before = await snapshot(test);
    const response = await test.http
      .post('/v1/declarations')
      .set({ ...test.as(), 'content-type': 'application/json' })
      .send('{"scheme": "kz-terror",')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(/not valid JSON/);
    expect(await snapshot(test)).toEqual(before);
  });

  it('answers an oversized body with 413 and changes nothing', async () => {
    const before = await snapshot(test);
    const response = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({ ...valid, summary: 'x'.repeat(140000) })
      .expect(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(/larger than this server accepts/);
    expect(await snapshot(test)).toEqual(before);
  });

  it('answers a body that is not JSON with 415 and changes nothing', async () => {
    const before = await snapshot(test);
    const response = await test.http
      .post('/v1/declarations')
      .set({ ...test.as(), 'content-type': 'text/plain' })
      .send('red for KZ')
      .expect(415);
    expect(response.body.detail).toMatch(/application\/json/);
    expect(await snapshot(test)).toEqual(before);
  });

  it.each([
    ['an unknown area', '/v1/levels/XX', 404, /no area "XX"/],
    ['an at without time zone', '/v1/levels?at=2022-01-01', 400, /at must be an ISO 8601 date-time/],
    [
      'a cursor it did not hand out',
      '/v1/declarations?cursor=garbage',
      400,
      /cursor is not one this API handed out/,
    ],
    ['a limit out of range', '/v1/declarations?limit=1000', 400, /limit must not be greater than 200/],
    ['an unknown status', '/v1/declarations?status=lost', 400, /status must be one of/],
    ['an unknown route', '/v1/nothing-here', 404, /Cannot GET \/v1\/nothing-here/],
  ])('answers a read with %s with a problem', async (_name, url, status, detail) => {
    const response = await test.http.get(url).expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(detail);
  });

  it('treats a malformed queue board session cookie as no session: 401, or the sign-in page for a person', async () => {
    for (const cookie of ['tocsin_queues=%E0%A4%A', 'tocsin_queues=%', `tocsin_queues=${'%ZZ'.repeat(50)}`]) {
      const refused = await test.http.get('/admin/queues').set('cookie', cookie).expect(401);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.detail).toMatch(/need an admin key/);
      await test.http.get('/admin/queues/api/queues').set('cookie', cookie).expect(401);
      await test.http
        .get('/admin/queues')
        .set({ cookie, accept: 'text/html' })
        .expect(303)
        .expect('location', '/admin');
    }
  });

  // Each part of a request that once reached the database or the validation pipe as it came and got a 500.
  const deep = (open: string, close: string, depth: number) => open.repeat(depth) + close.repeat(depth);
  const json = (value: unknown) => JSON.stringify(value);
  const JSON_TYPE = 'application/json';
  const inputs: [
    string,
    'get' | 'post' | 'patch' | 'delete',
    string,
    string | Buffer | undefined,
    string,
    number,
    RegExp,
  ][] = [
    [
      'a NUL in a path parameter',
      'get',
      '/v1/declarations/a%00b',
      undefined,
      JSON_TYPE,
      400,
      /^The request is invalid: id must not contain a NUL character \(U\+0000\)\.$/,
    ],
    [
      'a NUL in the path of a write',
      'post',
      '/v1/declarations/dcl%00/cancel',
      '{}',
      JSON_TYPE,
      400,
      /id must not contain a NUL character/,
    ],
    [
      'a NUL in the path of a delete',
      'delete',
      '/v1/api-keys/key%00',
      undefined,
      JSON_TYPE,
      400,
      /id must not contain a NUL character/,
    ],
    [
      'a NUL in a query field',
      'get',
      '/v1/declarations?scheme=kz-terror%00',
      undefined,
      JSON_TYPE,
      400,
      /scheme must not contain a NUL character/,
    ],
    [
      'a NUL in a token',
      'get',
      '/v1/email-subscriptions/unsubscribe?token=a%00',
      undefined,
      JSON_TYPE,
      400,
      /token must not contain a NUL character/,
    ],
    [
      'a NUL in a body field',
      'post',
      '/v1/declarations',
      json({ ...valid, headline: 'Red\u0000' }),
      JSON_TYPE,
      400,
      /headline must not contain a NUL character/,
    ],
    [
      'a NUL in a list of the body',
      'post',
      '/v1/declarations',
      json({ ...valid, measures: ['ok', '\u0000'] }),
      JSON_TYPE,
      400,
      /measures\.1 must not contain a NUL character/,
    ],
    [
      'a NUL in a nested body field',
      'post',
      '/v1/schemes',
      json({
        ...customScheme,
        id: 'nul',
        levels: [{ ...customScheme.levels[0], name: 'L\u0000' }, customScheme.levels[1]],
      }),
      JSON_TYPE,
      400,
      /levels\.0\.name must not contain a NUL character/,
    ],
    [
      'a NUL in a field name',
      'post',
      '/v1/declarations',
      json({ ...valid, 'x\u0000': 1 }),
      JSON_TYPE,
      400,
      /body must not have a field whose name holds a NUL character/,
    ],
    [
      'a NUL in a patch',
      'patch',
      '/v1/schemes/acme-alert',
      json({ name: 'A\u0000' }),
      JSON_TYPE,
      400,
      /name must not contain a NUL character/,
    ],
    [
      'a NUL in a key name',
      'post',
      '/v1/api-keys',
      json({ name: 'k\u0000', role: 'viewer' }),
      JSON_TYPE,
      400,
      /name must not contain a NUL character/,
    ],
    [
      'a NUL in a webhook URL',
      'post',
      '/v1/webhooks',
      json({ url: 'http://127.0.0.1:9/\u0000', areas: ['KZ'] }),
      JSON_TYPE,
      400,
      /url must not contain a NUL character/,
    ],
    [
      'a NUL in a sign-up',
      'post',
      '/v1/email-subscriptions',
      json({ email: 'a\u0000@example.com', areas: ['KZ'] }),
      JSON_TYPE,
      400,
      /email must not contain a NUL character/,
    ],
    [
      'a NUL in a form',
      'post',
      '/v1/email-subscriptions/unsubscribe',
      'token=a%00',
      'application/x-www-form-urlencoded',
      400,
      /token must not contain a NUL character/,
    ],
    [
      'at in year 0',
      'get',
      '/v1/levels?at=0000-01-01T00:00:00Z',
      undefined,
      JSON_TYPE,
      400,
      /at must lie between the years 0001 and 9999 \(UTC\)/,
    ],
    [
      'at in year 0 in UTC',
      'get',
      '/v1/levels/KZ?at=0001-01-01T00:00:00%2B01:00',
      undefined,
      JSON_TYPE,
      400,
      /at must lie between the years 0001 and 9999/,
    ],
    [
      'at in year 10000 in UTC',
      'get',
      '/v1/levels?at=9999-12-31T23:59:59-01:00',
      undefined,
      JSON_TYPE,
      400,
      /at must lie between the years 0001 and 9999/,
    ],
    [
      'at in year +275760',
      'get',
      '/v1/levels?at=%2B275760-09-13T00:00:00Z',
      undefined,
      JSON_TYPE,
      400,
      /at must be an ISO 8601 date-time with a time zone/,
    ],
    [
      'at with its + read as a space',
      'get',
      '/v1/levels?at=+275760-09-13T00:00:00Z',
      undefined,
      JSON_TYPE,
      400,
      /at must be an ISO 8601 date-time/,
    ],
    [
      'effectiveAt in year 0',
      'post',
      '/v1/declarations',
      json({ ...valid, effectiveAt: '0000-01-01T00:00:00Z' }),
      JSON_TYPE,
      400,
      /effectiveAt must lie between the years 0001 and 9999/,
    ],
    [
      'expiresAt in year 10000',
      'post',
      '/v1/declarations',
      json({ ...valid, expiresAt: '9999-12-31T23:59:59-01:00' }),
      JSON_TYPE,
      400,
      /expiresAt must lie between the years 0001 and 9999/,
    ],
    [
      'a recovery since year 0',
      'post',
      '/v1/webhooks/whk_nope/recover',
      json({ since: '0000-06-01T00:00:00Z' }),
      JSON_TYPE,
      400,
      /since must lie between the years 0001 and 9999/,
    ],
    [
      'an array nested 40,000 deep',
      'post',
      '/v1/declarations',
      deep('[', ']', 40000),
      JSON_TYPE,
      400,
      /nests arrays and objects more than 32 levels deep/,
    ],
    [
      'an object nested 20,000 deep in a field',
      'post',
      '/v1/declarations',
      `{"headline":${deep('{"a":', '}', 20000).replace(/\{"a":\}/, '{"a":1}')}}`,
      JSON_TYPE,
      400,
      /more than 32 levels deep/,
    ],
    [
      'a body that is not UTF-8',
      'post',
      '/v1/declarations',
      Buffer.concat([Buffer.from('{"headline":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
      JSON_TYPE,
      400,
      /not valid UTF-8/,
    ],
    [
      'JSON in another charset',
      'post',
      '/v1/declarations',
      json(valid),
      'application/json; charset=latin1',
      415,
      /must be JSON in UTF-8, not charset=latin1/,
    ],
    [
      'an XML body',
      'post',
      '/v1/declarations',
      '<alert/>',
      'application/xml',
      415,
      /must be application\/json/,
    ],
    [
      'a multipart body',
      'post',
      '/v1/declarations',
      '--x--',
      'multipart/form-data; boundary=x',
      415,
      /must be application\/json/,
    ],
    [
      'a content type that is not one',
      'post',
      '/v1/declarations',
      json(valid),
      'garbage',
      415,
      /must be application\/json/,
    ],
    [
      'a % escape that is not hex',
      'get',
      '/v1/declarations/a%ZZb',
      undefined,
      JSON_TYPE,
      400,
      /% escape that is not valid UTF-8/,
    ],
    [
      'a lone %',
      'delete',
      '/v1/api-keys/key%',
      undefined,
      JSON_TYPE,
      400,
      /% escape that is not valid UTF-8/,
    ],
    [
      'a % escape that is not UTF-8',
      'get',
      '/v1/schemes/%C3%28',
      undefined,
      JSON_TYPE,
      400,
      /% escape that is not valid UTF-8/,
    ],
    [
      'a path segment of 5,000 characters',
      'get',
      `/v1/declarations/${'x'.repeat(5000)}`,
      undefined,
      JSON_TYPE,
      414,
      /longer than this server accepts/,
    ],
    [
      'a huge number',
      'post',
      '/v1/webhooks',
      json({ url: 'http://127.0.0.1:9/', areas: ['KZ'], minRank: 1e308 }),
      JSON_TYPE,
      400,
      /minRank must not be greater than 20/,
    ],
    [
      'a huge number in the query',
      'get',
      '/v1/declarations?limit=1e400',
      undefined,
      JSON_TYPE,
      400,
      /limit must not be greater than 200/,
    ],
    [
      'an array for a string',
      'post',
      '/v1/declarations',
      json({ ...valid, headline: ['Red'] }),
      JSON_TYPE,
      400,
      /headline must be a string/,
    ],
    [
      'an object for a string',
      'post',
      '/v1/api-keys',
      json({ name: { first: 'x' }, role: 'viewer' }),
      JSON_TYPE,
      400,
      /name must be a string/,
    ],
    [
      'a repeated query field',
      'get',
      '/v1/declarations?scheme=a&scheme=b',
      undefined,
      JSON_TYPE,
      400,
      /scheme must be a string/,
    ],
    [
      'a prototype-polluting body',
      'post',
      '/v1/declarations',
      '{"__proto__":{"admin":true}}',
      JSON_TYPE,
      400,
      /not valid JSON/,
    ],
    // jsonb refuses a lone surrogate's escape (the outbox row), a text column would store U+FFFD for it.
    [
      'a lone surrogate in a body field',
      'post',
      '/v1/declarations',
      json(valid).replace('"headline":"Critical"', '"headline":"Critical \\ud800"'),
      JSON_TYPE,
      400,
      /headline must be valid Unicode, without a lone surrogate/,
    ],
    [
      'a lone surrogate in a key name',
      'post',
      '/v1/api-keys',
      '{"name":"\\udfff","role":"viewer"}',
      JSON_TYPE,
      400,
      /name must be valid Unicode/,
    ],
    [
      'a query longer than the request line may be',
      'get',
      `/v1/declarations?${'a=1&'.repeat(5000)}`,
      undefined,
      JSON_TYPE,
      431,
      /request line or headers are larger than this server accepts/,
    ],
  ];

  it.each(inputs)(
    'answers %s with a problem that says what is wrong, and changes nothing',
    async (_name, method, path, body, contentType, status, detail) => {
      const before = await snapshot(test);
      const call = test.http[method](path).set(test.as());
      // The bytes exactly as given: send() would serialise a Buffer as JSON.
      if (body !== undefined) call.set('content-type', contentType).write(body);
      const response = await call;
      expect({ status: response.status, detail: response.body.detail }).toEqual({
        status,
        detail: expect.stringMatching(detail),
      });
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
      expect(await snapshot(test)).toEqual(before);
    },
  );

  it('still takes a body nested as deep as the limit allows to validation', async () => {
    const response = await test.http
      .post('/v1/declarations')
      .set({ ...test.as(), 'content-type': 'application/json' })
      .send(json({ ...valid, headline: JSON.parse(deep('[', ']', 31)) }))
      .expect(400);
    expect(response.body.detail).toMatch(/headline must be a string/);
  });
});
