import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tables } from '@tocsin/database';
import { WebhookEndpointsService, WebhookSecrets } from '@tocsin/webhooks';
import { Webhook } from 'standardwebhooks';
import { createKey, startTestApp, TestApp } from './support/test-app';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1: `/ok` answers 200, `/moved` 301, `/silent` never answers. */
async function startReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers as Record<string, string>, body });
      if (req.url === '/ok') res.writeHead(200, { 'content-type': 'text/plain' }).end('got it');
      else if (req.url === '/moved') res.writeHead(301, { location: '/ok' }).end();
      else if (req.url !== '/silent') res.writeHead(404).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    received,
    url: (path: string) => `${base}${path}`,
    /** Requests to `path` since the receiver started. */
    at: (path: string) => received.filter((r) => r.path === path),
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const filter = { areas: ['KZ', 'kz-ala'], scheme: 'kz-terror', minRank: 2, events: ['escalated'] };

/** Verifies a received message with one secret, as a receiver would. */
const verify = (secret: string, message: Received) =>
  new Webhook(secret).verify(message.body, message.headers);

describe('webhook endpoints', () => {
  let test: TestApp;
  let receiver: Receiver;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    [test, receiver] = await Promise.all([startTestApp('postgres'), startReceiver()]);
    for (const role of ['publisher', 'viewer']) keys[role] = await createKey(test, role);
    keys.alpha = await createKey(test, 'integrator', 'integrator alpha');
    keys.beta = await createKey(test, 'integrator', 'integrator beta');
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
  });

  const create = (key: string, body: Record<string, unknown> = {}) =>
    test.http
      .post('/v1/webhooks')
      .set(test.as(key))
      .send({ url: receiver.url('/ok'), ...filter, ...body });

  it('creates an endpoint and shows its whsec_ secret once', async () => {
    const created = await create(keys.alpha, { description: ' Central Asia desk ' }).expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^whk_[0-9a-f-]{36}$/),
      url: receiver.url('/ok'),
      description: 'Central Asia desk',
      contactEmail: null,
      areas: ['KZ', 'KZ-75'],
      scheme: 'kz-terror',
      minRank: 2,
      events: ['escalated'],
      exercises: false,
      format: 'standard',
      telegramChatId: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
      secretPrefix: created.body.secret.slice(0, 12),
      previousSecretExpiresAt: null,
      enabled: true,
      disabledReason: null,
      ownerKeyId: expect.stringMatching(/^key_/),
      createdAt: expect.any(String),
      updatedAt: created.body.createdAt,
    });
    const one = await test.http.get(`/v1/webhooks/${created.body.id}`).set(test.as(keys.alpha)).expect(200);
    const list = await test.http.get('/v1/webhooks').set(test.as(keys.alpha)).expect(200);
    expect(one.body).toEqual(omitSecret(created.body));
    expect(JSON.stringify([one.body, list.body])).not.toContain(created.body.secret);
    expect(list.body.items.map((e: { id: string }) => e.id)).toContain(created.body.id);
  });

  it('defaults the optional filter parts and the description', async () => {
    const created = await test.http
      .post('/v1/webhooks')
      .set(test.as(keys.alpha))
      .send({ url: receiver.url('/ok'), areas: ['*'] })
      .expect(201);
    expect(created.body).toMatchObject({
      areas: ['*'],
      scheme: null,
      minRank: null,
      events: null,
      description: null,
    });
  });

  it('changes the URL, description and filter, and deletes', async () => {
    const { body: created } = await create(keys.alpha).expect(201);
    const patched = await test.http
      .patch(`/v1/webhooks/${created.id}`)
      .set(test.as(keys.alpha))
      .send({ url: receiver.url('/ok?v=2'), description: 'renamed', areas: ['KG'], minRank: null })
      .expect(200);
    expect(patched.body).toMatchObject({
      url: receiver.url('/ok?v=2'),
      description: 'renamed',
      areas: ['KG'],
      scheme: 'kz-terror',
      minRank: null,
      events: ['escalated'],
    });
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    await test.http.delete(`/v1/webhooks/${created.id}`).set(test.as(keys.alpha)).expect(204);
    await test.http.get(`/v1/webhooks/${created.id}`).set(test.as(keys.alpha)).expect(404);
    await test.http.delete(`/v1/webhooks/${created.id}`).set(test.as(keys.alpha)).expect(404);
  });

  it.each([
    [{ areas: ['XX'] }, 422, /Unknown area code: "XX"/],
    [{ scheme: 'nope' }, 422, /no scheme "nope"/],
    [{ minRank: 4 }, 422, /minRank 4 can never be reached/],
    [{ events: ['sideways'] }, 400, /events/],
    [{ areas: [] }, 400, /areas/],
    [{ url: 'not a url' }, 422, /not an absolute URL/],
    [{ url: 'http://127.0.0.1/#frag' }, 422, /fragment/],
    [{ secret: 'whsec_mine' }, 400, /secret/],
  ])('refuses %j with %i', async (change, status, detail) => {
    const response = await create(keys.alpha, change).expect(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(detail);
  });

  describe('roles and ownership', () => {
    let alphas: string;
    let betas: string;

    beforeAll(async () => {
      alphas = (await create(keys.alpha, { description: 'alpha' }).expect(201)).body.id;
      betas = (await create(keys.beta, { description: 'beta' }).expect(201)).body.id;
    });

    it('answers a request without a key with 401', async () => {
      await test.http.get('/v1/webhooks').expect(401);
      await test.http
        .post('/v1/webhooks')
        .send({ url: receiver.url('/ok'), areas: ['*'] })
        .expect(401);
    });

    it.each(['publisher', 'viewer'])('answers a %s key with 403', async (role) => {
      const response = await test.http.get('/v1/webhooks').set(test.as(keys[role])).expect(403);
      expect(response.body.detail).toMatch(`yours is ${role}`);
      await create(keys[role]).expect(403);
      await test.http.post(`/v1/webhooks/${alphas}/test`).set(test.as(keys[role])).expect(403);
    });

    it('lists only an integrator’s own endpoints', async () => {
      const alpha = await test.http.get('/v1/webhooks?limit=200').set(test.as(keys.alpha)).expect(200);
      const ids = alpha.body.items.map((e: { id: string }) => e.id);
      expect(ids).toContain(alphas);
      expect(ids).not.toContain(betas);
      const beta = await test.http.get('/v1/webhooks?limit=200').set(test.as(keys.beta)).expect(200);
      expect(beta.body.items.map((e: { id: string }) => e.id)).toEqual([betas]);
      const asking = await test.http
        .get(`/v1/webhooks?owner=${alpha.body.items[0].ownerKeyId}`)
        .set(test.as(keys.beta))
        .expect(200);
      expect(asking.body.items).toEqual([]);
    });

    it.each([
      ['GET /v1/webhooks/{id}', 'get', '', undefined],
      ['PATCH /v1/webhooks/{id}', 'patch', '', { enabled: false }],
      ['DELETE /v1/webhooks/{id}', 'delete', '', undefined],
      ['POST /v1/webhooks/{id}/test', 'post', '/test', undefined],
      ['POST /v1/webhooks/{id}/rotate-secret', 'post', '/rotate-secret', {}],
    ] as const)(
      'answers %s of another integrator’s endpoint with 404, as for a missing one',
      async (_label, method, suffix, body) => {
        const call = test.http[method](`/v1/webhooks/${betas}${suffix}`).set(test.as(keys.alpha));
        const response = await (body ? call.send(body) : call).expect(404);
        expect(response.body.detail).toBe(`There is no webhook endpoint "${betas}".`);
        const missing = test.http[method](`/v1/webhooks/whk_missing${suffix}`).set(test.as(keys.alpha));
        await (body ? missing.send(body) : missing).expect(404);
        const untouched = await test.http.get(`/v1/webhooks/${betas}`).set(test.as(keys.beta)).expect(200);
        expect(untouched.body).toMatchObject({ enabled: true, description: 'beta' });
        expect(receiver.received.filter((r) => r.body.includes(betas))).toEqual([]);
      },
    );

    it('lets an admin see everyone’s endpoints, or one owner’s', async () => {
      const all = await test.http.get('/v1/webhooks?limit=200').set(test.as()).expect(200);
      const ids = all.body.items.map((e: { id: string }) => e.id);
      expect(ids).toEqual(expect.arrayContaining([alphas, betas]));
      const beta = await test.http.get(`/v1/webhooks/${betas}`).set(test.as()).expect(200);
      const owned = await test.http
        .get(`/v1/webhooks?owner=${beta.body.ownerKeyId}`)
        .set(test.as())
        .expect(200);
      expect(owned.body.items.map((e: { id: string }) => e.id)).toEqual([betas]);
    });

    it('lets an admin change an integrator’s endpoint', async () => {
      await test.http
        .patch(`/v1/webhooks/${betas}`)
        .set(test.as())
        .send({ description: 'by admin' })
        .expect(200);
      const seen = await test.http.get(`/v1/webhooks/${betas}`).set(test.as(keys.beta)).expect(200);
      expect(seen.body.description).toBe('by admin');
    });

    it('pages newest first', async () => {
      const first = await test.http.get('/v1/webhooks?limit=2').set(test.as()).expect(200);
      const second = await test.http
        .get(`/v1/webhooks?limit=2&cursor=${first.body.nextCursor}`)
        .set(test.as())
        .expect(200);
      const pages = [...first.body.items, ...second.body.items];
      expect(new Set(pages.map((e) => e.id)).size).toBe(4);
      const created = pages.map((e) => Date.parse(e.createdAt));
      expect(created).toEqual([...created].sort((a, b) => b - a));
    });
  });

  describe('test pings and secrets', () => {
    it('sends a signed webhook.test event that verifies with the secret', async () => {
      const { body: endpoint } = await create(keys.alpha).expect(201);
      const before = receiver.at('/ok').length;
      const ping = await test.http
        .post(`/v1/webhooks/${endpoint.id}/test`)
        .set(test.as(keys.alpha))
        .expect(200);
      expect(ping.body).toEqual({
        delivered: true,
        webhookId: expect.stringMatching(/^msg_[0-9a-f-]{36}$/),
        statusCode: 200,
        latencyMs: expect.any(Number),
        error: null,
        responseExcerpt: 'got it',
      });
      const received = receiver.at('/ok').slice(before);
      expect(received).toHaveLength(1);
      const [message] = received;
      expect(message.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'Tocsin-Webhooks/1',
        'webhook-id': ping.body.webhookId,
        'webhook-timestamp': expect.stringMatching(/^\d{10}$/),
        'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/),
      });
      expect(verify(endpoint.secret, message)).toEqual({
        type: 'webhook.test',
        timestamp: expect.any(String),
        data: { endpointId: endpoint.id, message: expect.any(String) },
      });
    });

    it('after a rotation, signs with both secrets; each verifies the message on its own', async () => {
      const { body: endpoint } = await create(keys.alpha).expect(201);
      const rotated = await test.http
        .post(`/v1/webhooks/${endpoint.id}/rotate-secret`)
        .set(test.as(keys.alpha))
        .send({ gracePeriodSeconds: 3600 })
        .expect(200);
      expect(rotated.body).toEqual({
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
        previousSecretExpiresAt: expect.any(String),
      });
      expect(rotated.body.secret).not.toBe(endpoint.secret);
      const expiresIn = Date.parse(rotated.body.previousSecretExpiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(3590_000);
      expect(expiresIn).toBeLessThanOrEqual(3600_000);
      const shown = await test.http.get(`/v1/webhooks/${endpoint.id}`).set(test.as(keys.alpha)).expect(200);
      expect(shown.body).toMatchObject({
        secretPrefix: rotated.body.secret.slice(0, 12),
        previousSecretExpiresAt: rotated.body.previousSecretExpiresAt,
      });

      const before = receiver.at('/ok').length;
      await test.http.post(`/v1/webhooks/${endpoint.id}/test`).set(test.as(keys.alpha)).expect(200);
      const [message] = receiver.at('/ok').slice(before);
      const signatures = message.headers['webhook-signature'].split(' ');
      expect(signatures).toHaveLength(2);
      expect(signatures.every((s) => /^v1,[A-Za-z0-9+/]+=*$/.test(s))).toBe(true);
      expect(() => verify(rotated.body.secret, message)).not.toThrow();
      expect(() => verify(endpoint.secret, message)).not.toThrow();
      // Each secret matches exactly one of the two signatures.
      const alone = (signature: string) => ({
        ...message,
        headers: { ...message.headers, 'webhook-signature': signature },
      });
      expect(() => verify(rotated.body.secret, alone(signatures[0]))).not.toThrow();
      expect(() => verify(endpoint.secret, alone(signatures[1]))).not.toThrow();
      expect(() => verify(endpoint.secret, alone(signatures[0]))).toThrow();
    });

    it('keeps both secrets of a rotation sealed in the database: a dump of it holds neither', async () => {
      const { body: endpoint } = await create(keys.alpha).expect(201);
      const { body: rotated } = await test.http
        .post(`/v1/webhooks/${endpoint.id}/rotate-secret`)
        .set(test.as(keys.alpha))
        .send({ gracePeriodSeconds: 3600 })
        .expect(200);
      const rows = await test.db.select().from(tables.webhookEndpoints);
      const row = rows.find((r) => r.id === endpoint.id)!;
      expect(row.secret).toMatch(/^enc:v1:[A-Za-z0-9+/]+=*$/);
      expect(row.previousSecret).toMatch(/^enc:v1:[A-Za-z0-9+/]+=*$/);
      const dump = JSON.stringify(rows);
      expect(dump).not.toContain('whsec_');
      for (const secret of [endpoint.secret, rotated.secret] as string[])
        expect(dump).not.toContain(secret.slice('whsec_'.length));
      // Signing still works from what is stored: both secrets verify the ping on a real receiver.
      const before = receiver.at('/ok').length;
      await test.http.post(`/v1/webhooks/${endpoint.id}/test`).set(test.as(keys.alpha)).expect(200);
      const [message] = receiver.at('/ok').slice(before);
      expect(() => verify(rotated.secret, message)).not.toThrow();
      expect(() => verify(endpoint.secret, message)).not.toThrow();
    });

    it('retires the old secret at once with a grace period of 0', async () => {
      const { body: endpoint } = await create(keys.alpha).expect(201);
      const rotated = await test.http
        .post(`/v1/webhooks/${endpoint.id}/rotate-secret`)
        .set(test.as(keys.alpha))
        .send({ gracePeriodSeconds: 0 })
        .expect(200);
      const before = receiver.at('/ok').length;
      await test.http.post(`/v1/webhooks/${endpoint.id}/test`).set(test.as(keys.alpha)).expect(200);
      const [message] = receiver.at('/ok').slice(before);
      expect(message.headers['webhook-signature'].split(' ')).toHaveLength(1);
      expect(() => verify(rotated.body.secret, message)).not.toThrow();
      expect(() => verify(endpoint.secret, message)).toThrow();
    });

    it('keeps the old secret for a day by default, and at most seven days', async () => {
      const { body: endpoint } = await create(keys.alpha).expect(201);
      const rotated = await test.http
        .post(`/v1/webhooks/${endpoint.id}/rotate-secret`)
        .set(test.as(keys.alpha))
        .expect(200);
      const expiresIn = Date.parse(rotated.body.previousSecretExpiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(86_390_000);
      expect(expiresIn).toBeLessThanOrEqual(86_400_000);
      const tooLong = await test.http
        .post(`/v1/webhooks/${endpoint.id}/rotate-secret`)
        .set(test.as(keys.alpha))
        .send({ gracePeriodSeconds: 7 * 86_400 + 1 })
        .expect(400);
      expect(tooLong.body.errors[0].field).toBe('gracePeriodSeconds');
    });

    it('refuses a test ping to a disabled endpoint, and pings again once it is enabled', async () => {
      const { body: endpoint } = await create(keys.alpha).expect(201);
      const disabled = await test.http
        .patch(`/v1/webhooks/${endpoint.id}`)
        .set(test.as(keys.alpha))
        .send({ enabled: false })
        .expect(200);
      expect(disabled.body).toMatchObject({
        enabled: false,
        disabledReason: 'Disabled through the API by "integrator alpha".',
      });
      const before = receiver.received.length;
      const refused = await test.http
        .post(`/v1/webhooks/${endpoint.id}/test`)
        .set(test.as(keys.alpha))
        .expect(409);
      expect(refused.body.detail).toMatch(/is disabled/);
      expect(receiver.received).toHaveLength(before);

      const enabled = await test.http
        .patch(`/v1/webhooks/${endpoint.id}`)
        .set(test.as(keys.alpha))
        .send({ enabled: true })
        .expect(200);
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
      const ping = await test.http
        .post(`/v1/webhooks/${endpoint.id}/test`)
        .set(test.as(keys.alpha))
        .expect(200);
      expect(ping.body.delivered).toBe(true);
    });

    it('lets deliveries disable an endpoint with their reason, which re-enabling clears', async () => {
      const { body: endpoint } = await create(keys.alpha).expect(201);
      const endpoints = test.app.get(WebhookEndpointsService);
      await endpoints.disableForFailures(endpoint.id, 'The receiver answered 410 Gone.');
      await endpoints.disableForFailures(endpoint.id, 'A later reason.');
      const shown = await test.http.get(`/v1/webhooks/${endpoint.id}`).set(test.as(keys.alpha)).expect(200);
      expect(shown.body).toMatchObject({ enabled: false, disabledReason: 'The receiver answered 410 Gone.' });
      await test.http.post(`/v1/webhooks/${endpoint.id}/test`).set(test.as(keys.alpha)).expect(409);
      const enabled = await test.http
        .patch(`/v1/webhooks/${endpoint.id}`)
        .set(test.as(keys.alpha))
        .send({ enabled: true })
        .expect(200);
      expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null });
    });

    it('reports a receiver that answers 301 as not delivered, without following the redirect', async () => {
      const { body: endpoint } = await create(keys.alpha, { url: receiver.url('/moved') }).expect(201);
      const okBefore = receiver.at('/ok').length;
      const ping = await test.http
        .post(`/v1/webhooks/${endpoint.id}/test`)
        .set(test.as(keys.alpha))
        .expect(200);
      expect(ping.body).toMatchObject({
        delivered: false,
        statusCode: 301,
        error: expect.stringMatching(/redirect, which is not followed/),
      });
      expect(receiver.at('/moved').length).toBeGreaterThan(0);
      expect(receiver.at('/ok')).toHaveLength(okBefore);
    });

    it('reports a receiver that is not there as not delivered', async () => {
      const gone = await startReceiver();
      await gone.close();
      const { body: endpoint } = await create(keys.alpha, { url: gone.url('/ok') }).expect(201);
      const ping = await test.http
        .post(`/v1/webhooks/${endpoint.id}/test`)
        .set(test.as(keys.alpha))
        .expect(200);
      expect(ping.body).toMatchObject({ delivered: false, statusCode: null, error: 'connection refused' });
    });
  });
});

describe('webhook endpoints without WEBHOOK_ALLOW_PRIVATE', () => {
  let test: TestApp;
  let receiver: Receiver;
  let integrator: string;

  beforeAll(async () => {
    [test, receiver] = await Promise.all([
      startTestApp('postgres', { WEBHOOK_ALLOW_PRIVATE: 'false' }),
      startReceiver(),
    ]);
    integrator = await createKey(test, 'integrator');
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
  });

  it.each([
    [
      'plain http to 127.0.0.1',
      () => receiver.url('/ok'),
      /must use https; plain http is allowed only with WEBHOOK_ALLOW_PRIVATE/,
    ],
    [
      'https://localhost/',
      () => 'https://localhost/',
      /localhost, a loopback address; only public addresses are allowed/,
    ],
    [
      'https://127.0.0.1:8443/',
      () => 'https://127.0.0.1:8443/',
      /127\.0\.0\.1, a loopback address; only public addresses are allowed/,
    ],
    [
      'https://169.254.169.254/latest/meta-data/',
      () => 'https://169.254.169.254/latest/meta-data/',
      /169\.254\.169\.254, a cloud metadata address/,
    ],
    ['https://10.0.0.1/', () => 'https://10.0.0.1/', /10\.0\.0\.1, a private address/],
    ['https://[::1]/', () => 'https://[::1]/', /::1, a loopback address/],
    [
      'https://user:pw@example.com/',
      () => 'https://user:pw@example.com/',
      /must not contain a user name or password/,
    ],
    ['https://nowhere.invalid/', () => 'https://nowhere.invalid/', /nowhere\.invalid does not resolve/],
  ])('refuses %s with 422 and writes nothing', async (_label, url, reason) => {
    const response = await test.http
      .post('/v1/webhooks')
      .set(test.as(integrator))
      .send({ url: url(), areas: ['KZ'] })
      .expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(reason);
    expect(response.body.detail).not.toContain('pw@');
    expect(await test.db.select().from(tables.webhookEndpoints)).toEqual([]);
    expect(receiver.received).toEqual([]);
  });

  it('refuses a private URL in a change too', async () => {
    const [row] = await test.db
      .insert(tables.webhookEndpoints)
      .values({
        id: 'whk_public',
        ownerKeyId: 'key_admin',
        url: 'https://203.0.113.10/hook',
        areas: ['*'],
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        createdAt: new Date(),
        updatedAt: new Date(),
      })
      .returning();
    const response = await test.http
      .patch(`/v1/webhooks/${row.id}`)
      .set(test.as())
      .send({ url: 'https://192.168.1.10/hook' })
      .expect(422);
    expect(response.body.detail).toMatch(/192\.168\.1\.10, a private address/);
    const [unchanged] = await test.db.select().from(tables.webhookEndpoints);
    expect(unchanged.url).toBe('https://203.0.113.10/hook');
    await test.db.delete(tables.webhookEndpoints);
  });

  it('checks again when it sends: an endpoint stored with a loopback URL is not called', async () => {
    // As if saved while private targets were allowed: the ping must still refuse to connect.
    await test.db.insert(tables.webhookEndpoints).values({
      id: 'whk_stored',
      ownerKeyId: 'key_admin',
      url: receiver.url('/ok').replace('http:', 'https:'),
      areas: ['*'],
      secret: test.app.get(WebhookSecrets).seal('whk_stored', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const ping = await test.http.post('/v1/webhooks/whk_stored/test').set(test.as()).expect(200);
    expect(ping.body).toMatchObject({
      delivered: false,
      statusCode: null,
      error: expect.stringMatching(/127\.0\.0\.1, a loopback address; only public addresses are allowed/),
    });
    expect(receiver.received).toEqual([]);
    await test.db.delete(tables.webhookEndpoints);
  });
});

describe('webhook test pings with a short WEBHOOK_TIMEOUT_MS', () => {
  let test: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    [test, receiver] = await Promise.all([
      startTestApp('postgres', { WEBHOOK_TIMEOUT_MS: '500' }),
      startReceiver(),
    ]);
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
  });

  it('gives up on a receiver that never answers and says so', async () => {
    const { body: endpoint } = await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: receiver.url('/silent'), areas: ['*'] })
      .expect(201);
    const started = Date.now();
    const ping = await test.http.post(`/v1/webhooks/${endpoint.id}/test`).set(test.as()).expect(200);
    expect(ping.body).toMatchObject({ delivered: false, statusCode: null, error: 'no answer within 500 ms' });
    expect(ping.body.latencyMs).toBeGreaterThanOrEqual(450);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(receiver.at('/silent')).toHaveLength(1);
  });
});

function omitSecret<T extends { secret?: unknown }>(body: T): Omit<T, 'secret'> {
  const rest = { ...body };
  delete rest.secret;
  return rest;
}
