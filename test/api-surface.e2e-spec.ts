import { startTestApp, TestApp } from './support/test-app';

describe('the public API surface', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp('postgres');
  });
  afterAll(() => test?.close());

  it('reports live and ready with the database and Redis up', async () => {
    await test.http.get('/health/live').expect(200);
    const ready = await test.http.get('/health/ready').expect(200);
    expect(ready.body.details).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('lists every country and current subdivision, Kazakhstan with its 2022 codes', async () => {
    const response = await test.http.get('/v1/areas?country=KZ').expect(200);
    const codes = response.body.items.map((a: { code: string }) => a.code);
    expect(codes).toHaveLength(21);
    expect(codes).toEqual(
      expect.arrayContaining(['KZ', 'KZ-10', 'KZ-33', 'KZ-62', 'KZ-71', 'KZ-75', 'KZ-79', 'KZ-19']),
    );
    expect(response.body.items[0]).toMatchObject({
      code: 'KZ',
      type: 'country',
      defaultScheme: 'kz-terror',
      names: { kk: expect.any(String) },
    });
    const all = await test.http.get('/v1/areas?type=country').expect(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(249);
  });

  it('answers an old code with the current area', async () => {
    const response = await test.http.get('/v1/areas/kz-ala').expect(200);
    expect(response.body).toMatchObject({
      code: 'KZ-75',
      name: 'Almaty',
      parent: 'KZ',
      defaultScheme: 'kz-terror',
    });
  });

  it.each([
    ['GB', 'uk-terror'],
    ['FR', 'fr-vigipirate'],
    ['NL', 'nl-nctv'],
    ['AU', 'au-nttas'],
    ['KE', 'travel-advisory'],
  ])('gives %s the default scheme %s', async (code, scheme) => {
    expect((await test.http.get(`/v1/areas/${code}`).expect(200)).body.defaultScheme).toBe(scheme);
  });

  it('seeds the six built-in schemes', async () => {
    const response = await test.http.get('/v1/schemes').expect(200);
    expect(response.body.items.map((s: { id: string }) => s.id)).toEqual([
      'au-nttas',
      'fr-vigipirate',
      'kz-terror',
      'nl-nctv',
      'travel-advisory',
      'uk-terror',
    ]);
    const kz = await test.http.get('/v1/schemes/kz-terror').expect(200);
    expect(
      kz.body.levels.map((l: { code: string; name: string; capSeverity: string }) => [l.code, l.name]),
    ).toEqual([
      ['yellow', 'Moderate'],
      ['orange', 'High'],
      ['red', 'Critical'],
    ]);
  });

  it('lets an admin add a custom scheme and edit its texts, but not its codes', async () => {
    const created = await test.http
      .post('/v1/schemes')
      .set(test.as())
      .send({
        id: 'ngo-site',
        name: 'NGO field-site security levels',
        event: 'field-site security level',
        description: 'Levels our security desk sets for field sites.',
        authority: 'NGO security desk',
        levels: [
          {
            code: 'white',
            rank: 1,
            name: 'Normal',
            color: '#eeeeee',
            description: 'Normal operations.',
            measures: ['Check in daily.'],
            capSeverity: 'Minor',
          },
          {
            code: 'black',
            rank: 2,
            name: 'Evacuate',
            color: '#000000',
            description: 'Leave now.',
            measures: ['Go to the rally point.'],
            capSeverity: 'Extreme',
          },
        ],
      })
      .expect(201);
    expect(created.body).toMatchObject({ id: 'ngo-site', builtin: false, country: null });
    const patched = await test.http
      .patch('/v1/schemes/ngo-site')
      .set(test.as())
      .send({ name: 'Field-site levels', levels: [{ code: 'black', name: 'Evacuate now' }] })
      .expect(200);
    expect(patched.body.name).toBe('Field-site levels');
    expect(
      patched.body.levels.map((l: { code: string; rank: number; name: string }) => [l.code, l.rank, l.name]),
    ).toEqual([
      ['white', 1, 'Normal'],
      ['black', 2, 'Evacuate now'],
    ]);
    await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'ngo-site',
        level: 'black',
        areas: ['SD'],
        headline: 'Evacuate',
        summary: 'Leave.',
        authority: 'Desk',
      })
      .expect(201);
  });

  it('carries a request id, taking the caller’s when given', async () => {
    const given = await test.http.get('/health/live').set('x-request-id', 'trace-123').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-123');
    const made = await test.http.get('/health/live').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('describes every route in the OpenAPI document, with schemas', async () => {
    const response = await test.http.get('/openapi.json').expect(200);
    const operations = Object.entries(response.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
        'GET /v1/areas',
        'GET /v1/areas/{code}',
        'GET /v1/schemes',
        'GET /v1/schemes/{id}',
        'POST /v1/schemes',
        'PATCH /v1/schemes/{id}',
        'GET /v1/levels',
        'GET /v1/levels/{area}',
        'GET /v1/levels/{area}/history',
        'POST /v1/declarations',
        'POST /v1/declarations/preview',
        'GET /v1/declarations',
        'GET /v1/declarations/{id}',
        'GET /v1/declarations/{id}/cap',
        'GET /v1/feeds/declarations.atom',
        'GET /v1/stream',
        'POST /v1/declarations/{id}/cancel',
        'POST /v1/declarations/{id}/approve',
        'POST /v1/declarations/{id}/reject',
        'POST /v1/api-keys',
        'GET /v1/api-keys',
        'GET /v1/api-keys/me',
        'DELETE /v1/api-keys/{id}',
        'POST /v1/webhooks',
        'GET /v1/webhooks',
        'GET /v1/webhooks/{id}',
        'PATCH /v1/webhooks/{id}',
        'DELETE /v1/webhooks/{id}',
        'POST /v1/webhooks/{id}/rotate-secret',
        'POST /v1/webhooks/{id}/test',
        'POST /v1/email-subscriptions',
        'GET /v1/email-subscriptions',
        'GET /v1/email-subscriptions/{id}',
        'PATCH /v1/email-subscriptions/{id}',
        'DELETE /v1/email-subscriptions/{id}',
        'POST /v1/email-subscriptions/{id}/resume',
        'GET /v1/email-subscriptions/confirm',
        'POST /v1/email-subscriptions/confirm',
        'GET /v1/email-subscriptions/unsubscribe',
        'POST /v1/email-subscriptions/unsubscribe',
        'GET /v1/email-subscriptions/manage',
        'POST /v1/email-subscriptions/manage',
        'PUT /v1/email-subscriptions/manage',
        'POST /v1/sms-subscriptions',
        'POST /v1/sms-subscriptions/confirm',
        'GET /v1/sms-subscriptions',
        'GET /v1/sms-subscriptions/{id}',
        'PATCH /v1/sms-subscriptions/{id}',
        'DELETE /v1/sms-subscriptions/{id}',
        'GET /v1/deliveries',
        'GET /v1/deliveries/{id}',
        'POST /v1/deliveries/{id}/retry',
        'GET /v1/webhooks/{id}/deliveries',
        'GET /v1/declarations/{id}/deliveries/summary',
        'POST /v1/webhooks/{id}/recover',
        'GET /v1/declarations/{id}/origin.xml',
        'POST /v1/sources',
        'GET /v1/sources',
        'GET /v1/sources/{id}',
        'PATCH /v1/sources/{id}',
        'DELETE /v1/sources/{id}',
        'GET /v1/sources/{id}/items',
        'POST /v1/sources/{id}/poll',
        'POST /v1/sources/{id}/alerts',
        'GET /v1/audit',
      ].sort(),
    );
    const schemas = Object.keys(response.body.components.schemas);
    expect(schemas).toEqual(
      expect.arrayContaining([
        'PublishDeclarationDto',
        'DeclarationDto',
        'AreaLevelsDto',
        'SchemeDto',
        'EffectiveLevelDto',
      ]),
    );
    const docs = await test.http.get('/docs').expect(200);
    expect(docs.text).toContain('swagger-ui');
  });
});
