import { tables } from '@tocsin/database';
import { createKey, startTestApp, TestApp } from './support/test-app';

const declaration = {
  scheme: 'kz-terror',
  level: 'yellow',
  areas: ['KZ-35'],
  headline: 'Moderate',
  summary: 'Vigilance.',
  authority: 'Anti-Terrorist Centre',
};

describe('API keys and roles', () => {
  let test: TestApp;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    test = await startTestApp('postgres');
    for (const role of ['publisher', 'integrator', 'viewer', 'admin'])
      keys[role] = await createKey(test, role);
  });
  afterAll(() => test?.close());

  it('answers a write without a key with 401 and a problem', async () => {
    const response = await test.http.post('/v1/declarations').send(declaration).expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(/needs an API key/);
  });

  it('answers an unknown key with 401, even on a public route', async () => {
    await test.http
      .get('/v1/levels')
      .set({ authorization: 'Bearer tk_unknownunknownunknownunknown000' })
      .expect(401);
  });

  it('answers a malformed Authorization header with 401', async () => {
    const response = await test.http.get('/v1/levels').set({ authorization: 'Basic abc' }).expect(401);
    expect(response.body.detail).toMatch(/Bearer/);
  });

  it.each([
    ['integrator', 'post', '/v1/declarations', declaration],
    ['viewer', 'post', '/v1/declarations', declaration],
    ['publisher', 'post', '/v1/api-keys', { name: 'x', role: 'viewer' }],
    ['publisher', 'get', '/v1/api-keys', undefined],
    ['integrator', 'post', '/v1/schemes', { id: 'x' }],
  ] as const)('answers a %s key on %s %s with 403', async (role, method, url, body) => {
    const call = test.http[method](url).set(test.as(keys[role]));
    const response = await (body ? call.send(body) : call).expect(403);
    expect(response.body.detail).toMatch(new RegExp(`yours is ${role}`));
  });

  it('lets a publisher publish and anyone read without a key', async () => {
    const published = await test.http
      .post('/v1/declarations')
      .set(test.as(keys.publisher))
      .send(declaration)
      .expect(201);
    await test.http.get(`/v1/declarations/${published.body.id}`).expect(200);
    await test.http.get('/v1/levels/KZ-35').expect(200);
  });

  it('shows a new key once and keeps only its hash', async () => {
    const created = await test.http
      .post('/v1/api-keys')
      .set(test.as())
      .send({ name: 'CERT feed', role: 'viewer' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'CERT feed',
      role: 'viewer',
      key: expect.stringMatching(/^tk_[A-Za-z0-9_-]{43}$/),
      keyPrefix: created.body.key.slice(0, 9),
      createdAt: expect.any(String),
      revokedAt: null,
    });
    const rows = await test.db.select().from(tables.apiKeys);
    expect(JSON.stringify(rows)).not.toContain(created.body.key);
    const listed = await test.http.get('/v1/api-keys?limit=200').set(test.as()).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect(listed.body.items.find((k: { id: string }) => k.id === created.body.id)).toMatchObject({
      name: 'CERT feed',
      role: 'viewer',
    });
  });

  it('stops a revoked key at once', async () => {
    const key = await createKey(test, 'publisher', 'to revoke');
    const listed = await test.http.get('/v1/api-keys?limit=200').set(test.as()).expect(200);
    const id = listed.body.items.find((k: { name: string }) => k.name === 'to revoke').id;
    await test.http.delete(`/v1/api-keys/${id}`).set(test.as()).expect(204);
    await test.http.post('/v1/declarations').set(test.as(key)).send(declaration).expect(401);
    await test.http.delete(`/v1/api-keys/${id}`).set(test.as()).expect(204);
  });

  it('pages the key list', async () => {
    const first = await test.http.get('/v1/api-keys?limit=2').set(test.as()).expect(200);
    const second = await test.http
      .get(`/v1/api-keys?limit=2&cursor=${first.body.nextCursor}`)
      .set(test.as())
      .expect(200);
    const ids = [...first.body.items, ...second.body.items].map((k: { id: string }) => k.id);
    expect(new Set(ids).size).toBe(4);
  });
});
